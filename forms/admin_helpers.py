"""What the procedures' back-office screens share."""

from atlas_pages.core.admin_helpers import ReadOnlyPermissionHelper


class ProcedurePermissionHelper(ReadOnlyPermissionHelper):
    """Dossiers, declarations and proposals change through their procedure (API, pages), never by
    editing rows here: staff list and inspect them."""

    def user_can_list(self, user):
        return user.is_active and user.is_staff and self.user_has_any_permissions(user)

    def user_can_inspect_obj(self, user, obj):
        return self.user_can_list(user)
