"""Messages: rendering from templates, the outbox, and delivery through Apprise."""

from notifications.apprise_log import install

install()  # before anything here touches Apprise: its records must not reach the application's logs unmasked
