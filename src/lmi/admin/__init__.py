"""The admin dashboard (``/admin``): sign-in, uploads, validation, builds, diff, promotion."""

from lmi.admin.web import UPLOAD_PATH, admin_routes

__all__ = ["UPLOAD_PATH", "admin_routes"]
