// The teacher's admin token (LRSCOPE_ADMIN_TOKEN on the server), kept for this tab only
// (sessionStorage) and sent with every API call as X-Lrscope-Admin. Which browser a run
// belongs to is the server's HttpOnly cookie, which the page never sees.

const KEY = "lrscope.adminToken";
export const ADMIN_HEADER = "X-Lrscope-Admin";

function storage() {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage switched off: no admin token
  }
}

/** The admin token this tab uses, or "" for none. */
export function adminToken() {
  return storage()?.getItem(KEY) ?? "";
}

/** Use `token` from now on ("" forgets it). */
export function setAdminToken(token) {
  const store = storage();
  if (!store) return;
  if (token) store.setItem(KEY, token);
  else store.removeItem(KEY);
}

/** The headers that say who asks: the admin token when one is set. */
export function identityHeaders() {
  const token = adminToken();
  return token ? { [ADMIN_HEADER]: token } : {};
}
