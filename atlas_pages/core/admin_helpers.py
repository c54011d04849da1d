"""What every app's back office shares (wagtail-modeladmin)."""

from wagtail_modeladmin.helpers import PermissionHelper


class ReadOnlyPermissionHelper(PermissionHelper):
    """Rows that change through their procedure (a decision, a filing), never by being created,
    edited or deleted by hand here: their log and history stay true."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False
