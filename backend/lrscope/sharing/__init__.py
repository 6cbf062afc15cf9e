"""Serving a class from one machine: the addresses students can reach, short links to long
share links (SQLite under the data directory) and QR codes of links."""

from lrscope.sharing.addresses import listens_on_all, reachable_urls, student_urls
from lrscope.sharing.qr import qr_svg
from lrscope.sharing.short_links import ShortLinksFull, ShortLinkStore, new_link_id

__all__ = [
    "ShortLinkStore",
    "ShortLinksFull",
    "listens_on_all",
    "new_link_id",
    "qr_svg",
    "reachable_urls",
    "student_urls",
]
