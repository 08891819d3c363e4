"""Why the policy refused, in a sentence the API answers with and pages translate."""
from __future__ import annotations


def _(text: str) -> str:
    """Marks a message for extraction; pages translate it where it is shown."""
    return text


REFUSALS = {
    "campaign.create": _("Only commissioners plan campaigns."),
    "campaign.read": _("Only the campaign's team may read this."),
    "campaign.read_part": _("Only the campaign's team and its county partners may read this."),
    "campaign.items": _("Only the campaign's team, its county partners and its hosts may read this."),
    "campaign.tally": _("Only the campaign's team, its county partners, its hosts and its screens may watch its sales."),
    "campaign.change": _("Only the campaign's owner, its editors or an admin may change it."),
    "campaign.manage_team": _("Only the campaign's owner or an admin may change its team."),
    "campaign.join": _("Products join a campaign while it is published or live, or through its team."),
    "item.read": _("Only the campaign's team, the county partner of its products and its host may read this."),
    "item.tally": _("Only the campaign's team, the county partner of its products and its host may watch this."),
    "item.change": _("Only the campaign's owner, its editors or an admin may change it."),
    "item.answer": _("Only the paired streamer may answer this pairing."),
    "item.host_view": _("Only the session's host sees this page."),
    "county.create": _("Only an admin registers counties."),
    "county.delete": _("Only an admin deletes counties."),
    "county.assign": _("Only an admin assigns commissioners to counties."),
    "county.list": _("Only commissioners work with counties."),
    "streamer.change": _("Only the streamer's manager or an admin may change this streamer."),
    "streamer.login_access": _("Only the streamer's manager or an admin may send, list or revoke login links."),
    "streamer.set_manager": _("Only an admin may hand a streamer to another manager."),
    "channel.read": _("Only the campaign's team, or the host and their manager, may see this channel."),
    "channel.change": _("Only the campaign's owner and editors, or the host and their manager, may change this "
                        "channel."),
    "streamer.channels": _("Only the host, their manager or an admin may manage the host's channels."),
    "streamer.renew_calendar": _("Only the host, their manager or an admin may renew the calendar link."),
    "streamer.edit_profile": _("Commissioners edit streamers on the streamer's own page."),
    "key.create_for_all": _("Only an admin makes a key for every campaign; name the campaigns you own or edit."),
    "key.change": _("Only an admin, or someone who may change every campaign this key posts for, may rotate or "
                    "revoke it."),
    "screen.create": _("Only the campaign's owner, its editors or an admin may change it."),
    "screen.revoke": _("Only the campaign's owner, its editors or an admin may change it."),
    "screen.list": _("Only the campaign's team may read this."),
    "host.portal": _("Only streamer accounts use these pages."),
}
ROLE_ONLY = _("Your account may not do this.")


def refusal_text(action: str) -> str:
    """The sentence a refusal of an action carries."""
    return REFUSALS.get(action, ROLE_ONLY)
