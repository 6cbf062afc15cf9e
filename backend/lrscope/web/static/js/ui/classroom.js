// Classroom mode: a bigger chart for a projector, with chosen parts of the page hidden.
// The choice is part of the state (and so of the link).

import { CLASSROOM_PARTS } from "../core/state.js";

/** Reflect the classroom view option on the page. */
export function applyClassroom(view) {
  const hide = view.classroom?.hide ?? [];
  document.body.classList.toggle("classroom", Boolean(view.classroom));
  for (const part of CLASSROOM_PARTS) {
    document.body.classList.toggle(`hide-${part}`, Boolean(view.classroom) && hide.includes(part));
  }
  document.getElementById("classroom-exit").hidden = !view.classroom;
}

/** Wire the dialog; `onStart(hideList)` and `onExit()` change the state. */
export function wireClassroomDialog({ getView, onStart, onExit }) {
  const dialog = document.getElementById("classroom-dialog");
  document.getElementById("classroom-open").addEventListener("click", () => {
    const current = getView().classroom?.hide;
    if (current) {
      for (const box of dialog.querySelectorAll("input[name=hide]")) box.checked = current.includes(box.value);
    }
    dialog.returnValue = "";
    dialog.showModal();
  });
  dialog.addEventListener("close", () => {
    if (dialog.returnValue !== "start") return;
    const hide = [...dialog.querySelectorAll("input[name=hide]:checked")].map((box) => box.value);
    onStart(hide);
  });
  document.getElementById("classroom-exit").addEventListener("click", onExit);
  // Esc leaves classroom mode, unless it is closing a dialog or a menu first.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented || !getView().classroom) return;
    if (document.querySelector("dialog[open]")) return;
    onExit();
  });
}
