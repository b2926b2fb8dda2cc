"""What messaging needs from the app above it: the address of the opt-out page (public_pages
fills it in its AppConfig.ready(); messaging may not name its URLs)."""

from core.ports import Port

# A callable (tracking_code, token) -> path.
opt_out_path = Port("messaging.opt_out_path")
