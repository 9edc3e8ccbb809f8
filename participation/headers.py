"""Security headers: the Content-Security-Policy for public pages and for the Wagtail admin."""

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware as BaseCSPMiddleware

# Wagtail's admin (8.0) still writes small inline scripts for its widgets (e.g.
# `<script>new SnippetChooser("id_theme", …)</script>`, `initDateTimeChooser(…)`), sets inline styles, and
# shows images and previews of the site in frames. Its policy allows inline scripts and styles (staff
# only, behind a login) and nothing from other hosts.
ADMIN_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "frame-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}
ADMIN_PREFIXES = ("/admin/",)


class CSPMiddleware(BaseCSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and request.path_info.startswith(ADMIN_PREFIXES):
            parts.config = dict(ADMIN_POLICY)
        return parts
