from django.apps import AppConfig


class OfflineConfig(AppConfig):
    name = "haven.offline"
    label = "offline"
    verbose_name = "Offline outreach"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from haven.offline.actions import offline_key_on_sign_in

        user_logged_in.connect(offline_key_on_sign_in, dispatch_uid="haven.offline.key-on-sign-in")
