"""oTree settings of the peer the competition benchmark runs beside Salesfloor (bench/otree_peer)."""

SESSION_CONFIGS = [
    dict(name="desk", app_sequence=["desk"], num_demo_participants=4),
]
SESSION_CONFIG_DEFAULTS = dict(real_world_currency_per_point=1.0, participation_fee=0.0, doc="")
PARTICIPANT_FIELDS: list[str] = []
SESSION_FIELDS: list[str] = []
LANGUAGE_CODE = "en"
REAL_WORLD_CURRENCY_CODE = "USD"
USE_POINTS = True
ROOMS: list[dict[str, str]] = []
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "bench"
DEMO_PAGE_INTRO_HTML = ""
SECRET_KEY = "salesfloor-bench-otree-peer"
INSTALLED_APPS = ["otree"]
