"""A refused change in the reader's words: the message, with status and action codes named as people say them."""

from __future__ import annotations

from dutyflow.i18n import t
from tasks.duties.statuses import TransitionError


def explain(error: TransitionError) -> str:
    """The text of a refusal. An illegal transition names the action, the status and what is still possible
    in words ("gửi kết quả", "đã gửi, chờ xác nhận"), never their codes."""
    params = dict(error.params)
    if error.code == "status.illegal":
        params["action"] = t("action." + params["action"])
        params["status"] = t("status." + params["status"])
        allowed = [a for a in params["allowed"].split(", ") if a != "-"]
        params["allowed"] = ", ".join(t("action." + a) for a in allowed) or t("action.none")
    return t(error.code, **params)
