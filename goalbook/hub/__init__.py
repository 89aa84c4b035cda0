"""goalbook for a whole organisation on JupyterHub: the hub configuration a platform engineer starts
from (:mod:`goalbook.hub.config`) and the review pages as a hub service behind the hub's login
(:mod:`goalbook.hub.service`). Who made a change is decided in :mod:`goalbook.identity`; what a hub
group allows is enforced in the store (``goalbook.store._authz``).
"""
