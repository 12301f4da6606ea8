"""What the running application holds: its settings, the register, the workers and the uploads.

One :class:`WebState` per application instance (no module-level state): created by
:func:`engine.web.app.create_app`, reached from a request as ``request.app.state.web``.
Uploads are kept in memory, each under an unguessable id (only who uploaded it has the link), at most
``max_uploads`` of them: the oldest is forgotten, and its private folder deleted, when a new one comes.
"""

from __future__ import annotations

import secrets
import shutil
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from engine.appraisal.area import Appraisal
from engine.inputs.criteria import CriteriaSet
from engine.inputs.plan_models import Plan
from engine.register.db import Register
from engine.register.users import Users
from engine.web.jobs import Workers
from engine.web.uploads import Limits, Stored

# An appraisal of an upload is computed once per choice of criteria set, plans and year.
VariantKey = tuple[str | None, tuple[str, ...], int | None]
# The documents of an upload's variant in one language and format (docx, pdf): built once.
DocumentsKey = tuple[VariantKey, str, str]


@dataclass(frozen=True)
class Settings:
    db_url: str
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    limits: Limits = field(default_factory=Limits)
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    secure_cookies: bool = False  # set the cookie's Secure flag (behind HTTPS)
    session_hours: int = 8
    max_uploads: int = 64
    warm_set: str | None = "national-2030"
    warm_year: int = 2024


@dataclass
class Upload:
    id: str
    client_name: str
    stored: Stored
    created: float
    variants: OrderedDict[VariantKey, Appraisal] = field(default_factory=OrderedDict)
    documents: OrderedDict[DocumentsKey, list[tuple[str, bytes]]] = field(default_factory=OrderedDict)

    def default(self) -> Appraisal:
        return next(iter(self.variants.values()))


class Uploads:
    """Uploads by id, the oldest forgotten beyond ``capacity`` (used from the event loop only)."""

    MAX_VARIANTS = 8
    MAX_DOCUMENTS = 2  # document sets kept per upload (a district's Word and PDF sets are a few MB)
    MAX_DOCUMENT_BYTES = 32 * 1024 * 1024  # a larger set is built again when asked again

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.items: OrderedDict[str, Upload] = OrderedDict()

    def add(self, stored: Stored, client_name: str, key: VariantKey, appraisal: Appraisal) -> Upload:
        upload = Upload(secrets.token_urlsafe(16), client_name, stored, time.time())
        upload.variants[key] = appraisal
        self.items[upload.id] = upload
        while len(self.items) > self.capacity:
            _, old = self.items.popitem(last=False)
            shutil.rmtree(old.stored.folder, ignore_errors=True)
        return upload

    def get(self, upload_id: str) -> Upload | None:
        return self.items.get(upload_id)

    def remember(self, upload: Upload, key: VariantKey, appraisal: Appraisal) -> None:
        upload.variants[key] = appraisal
        while len(upload.variants) > self.MAX_VARIANTS:
            # keep the first (the upload as appraised by default), forget the oldest other one
            keys = list(upload.variants)
            del upload.variants[keys[1]]

    def keep_documents(self, upload: Upload, key: DocumentsKey, built: list[tuple[str, bytes]]) -> None:
        if sum(len(data) for _, data in built) > self.MAX_DOCUMENT_BYTES:
            return
        upload.documents[key] = built
        while len(upload.documents) > self.MAX_DOCUMENTS:
            upload.documents.popitem(last=False)

    def clear(self) -> None:
        for u in self.items.values():
            shutil.rmtree(u.stored.folder, ignore_errors=True)
        self.items.clear()


@dataclass
class WebState:
    settings: Settings
    root: Path  # the private folder of uploads (mode 0700)
    register: Register
    users: Users
    workers: Workers
    uploads: Uploads
    sets: dict[str, CriteriaSet]  # the criteria sets by id (the only ones a visitor may choose)
    plans: dict[str, Plan]  # the plans by id (likewise)
