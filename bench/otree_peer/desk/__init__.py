"""The desk of a team of 4, as an oTree app: each note a member sends is stored and pushed to the group.

The same shape as Salesfloor's cheapest desk command (``POST /team/customers/{id}/notes``): a
Python method handles the message, changes the database (the player's count of notes) and the
group's members each receive it (``live_method`` returning ``{0: …}`` sends to every player of
the group, the sender included, which is how the benchmark measures the round-trip).
"""

from otree.api import BaseConstants, BaseGroup, BasePlayer, BaseSubsession, Page, models

doc = __doc__


class C(BaseConstants):
    NAME_IN_URL = "desk"
    PLAYERS_PER_GROUP = 4
    NUM_ROUNDS = 1


class Subsession(BaseSubsession):
    pass


class Group(BaseGroup):
    notes = models.IntegerField(initial=0)


class Player(BasePlayer):
    notes = models.IntegerField(initial=0)


class Desk(Page):
    @staticmethod
    def live_method(player: Player, data: dict) -> dict:
        player.notes += 1
        player.group.notes += 1
        return {0: {"n": data.get("n"), "from": player.id_in_group, "text": str(data.get("text", ""))[:500]}}


page_sequence = [Desk]
