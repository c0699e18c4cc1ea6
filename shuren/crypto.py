"""Personal numbers encrypted at rest: AES-GCM with keys from the environment, the keyed HMAC
blind index that finds a number again, and the model fields that use both. A leaf: it imports
nothing of the project, so every layer may use it (docs/security.md, "Encryption and keys").

A stored value is ``enc1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>``, sealed with the
column's name as associated data, so a value copied into another column does not decrypt. An
empty value stays empty. Python code sees plaintext: the field decrypts on load and encrypts
on save, so masking, forms and actions are unchanged; the database and its backups never hold
a number in clear.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django import forms
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact
from django.db.models.query_utils import DeferredAttribute

PREFIX = "enc1"
NONCE_BYTES = 12
KEY_BYTES = 32
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
# The blind index of an empty value is empty: blanks are not one group of "equal" numbers.
NO_INDEX = ""


class KeyConfigError(ImproperlyConfigured):
    """SHUREN_FIELD_KEYS or SHUREN_INDEX_KEY is missing or malformed."""


class DecryptionError(Exception):
    """A stored value that the configured keys cannot open: its key was removed from
    SHUREN_FIELD_KEYS, the key is wrong, or the value was altered or moved between columns."""


# --- keys ------------------------------------------------------------------------------------


def _decode_key(text: str, what: str) -> bytes:
    text = text.strip()
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=False)
    except (binascii.Error, ValueError):
        raise KeyConfigError(f"{what} is not base64") from None
    if len(raw) != KEY_BYTES:
        raise KeyConfigError(f"{what} must be {KEY_BYTES} bytes of base64, not {len(raw)}")
    return raw


def parse_field_keys(raw: str) -> list[tuple[str, bytes]]:
    """``id:base64,id:base64,…``: the first encrypts, every one decrypts."""
    entries = [entry.strip() for entry in (raw or "").split(",") if entry.strip()]
    if not entries:
        raise KeyConfigError(
            "SHUREN_FIELD_KEYS is not set: give at least one key as id:base64-of-32-bytes "
            "(openssl rand -base64 32 makes one)"
        )
    keys: list[tuple[str, bytes]] = []
    for entry in entries:
        key_id, sep, text = entry.partition(":")
        if not sep or not KEY_ID.match(key_id):
            raise KeyConfigError(
                "SHUREN_FIELD_KEYS: each key is id:base64, the id of 1 to 16 letters, digits, "
                "- or _"
            )
        if key_id in dict(keys):
            raise KeyConfigError(f"SHUREN_FIELD_KEYS names the key id {key_id!r} twice")
        keys.append((key_id, _decode_key(text, f"SHUREN_FIELD_KEYS key {key_id!r}")))
    return keys


def parse_index_key(raw: str) -> bytes:
    if not (raw or "").strip():
        raise KeyConfigError(
            "SHUREN_INDEX_KEY is not set: give the blind index's HMAC key as base64 of 32 bytes "
            "(openssl rand -base64 32 makes one)"
        )
    return _decode_key(raw, "SHUREN_INDEX_KEY")


@dataclass(frozen=True)
class Keyring:
    current: str
    ciphers: dict[str, AESGCM]
    index_key: bytes


@lru_cache(maxsize=8)
def _keyring(field_keys: str, index_key: str) -> Keyring:
    keys = parse_field_keys(field_keys)
    return Keyring(
        current=keys[0][0],
        ciphers={key_id: AESGCM(key) for key_id, key in keys},
        index_key=parse_index_key(index_key),
    )


def keyring() -> Keyring:
    """The keys of the settings in force (read on each call, so tests may override them)."""
    return _keyring(
        getattr(settings, "SHUREN_FIELD_KEYS", ""), getattr(settings, "SHUREN_INDEX_KEY", "")
    )


def new_key() -> str:
    """A fresh 32-byte key as base64, for SHUREN_FIELD_KEYS (after an id) or SHUREN_INDEX_KEY."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode().rstrip("=")


# --- sealing ---------------------------------------------------------------------------------


def encrypt(plaintext: str, *, column: str, key_id: str | None = None) -> str:
    """The stored form of a value of the named column ("people.Person.phone")."""
    if not plaintext:
        return ""
    ring = keyring()
    key_id = key_id or ring.current
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.ciphers[key_id].encrypt(nonce, plaintext.encode(), column.encode())
    return f"{PREFIX}:{key_id}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def key_id_of(stored: str) -> str | None:
    """The key a stored value was sealed with (None: empty, or not a sealed value)."""
    parts = (stored or "").split(":", 2)
    return parts[1] if len(parts) == 3 and parts[0] == PREFIX else None


def is_sealed(stored: str) -> bool:
    return key_id_of(stored) is not None


def decrypt(stored: str, *, column: str) -> str:
    if not stored:
        return ""
    key_id = key_id_of(stored)
    if key_id is None:
        raise DecryptionError(
            f"{column} holds a value that is not encrypted: run manage.py migrate"
        )
    ring = keyring()
    cipher = ring.ciphers.get(key_id)
    if cipher is None:
        raise DecryptionError(
            f"{column} holds a value sealed with key {key_id!r}, which SHUREN_FIELD_KEYS no "
            "longer lists: put the key back (after the current one) and run manage.py rotatekeys"
        )
    try:
        blob = base64.urlsafe_b64decode(stored.split(":", 2)[2])
        plain = cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], column.encode())
    except (InvalidTag, binascii.Error, ValueError):
        raise DecryptionError(
            f"{column}: a value sealed with key {key_id!r} does not open: the key is not the one "
            "it was sealed with, or the value was altered or copied from another column"
        ) from None
    return plain.decode()


# --- the blind index -------------------------------------------------------------------------


def normalise_phone(value: str) -> str:
    """Digits only; China's +86 / 0086 before a mobile number dropped."""
    digits = re.sub(r"\D", "", value or "")
    for country in ("0086", "86"):
        if digits.startswith(country) and len(digits) == len(country) + 11:
            return digits[len(country) :]
    return digits


def normalise_id_number(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


NORMALISERS = {"phone": normalise_phone, "id_number": normalise_id_number}


def blind_index(value: str, *, kind: str) -> str:
    """HMAC-SHA256 of the normalised value under SHUREN_INDEX_KEY, hex: equal numbers give equal
    indexes, and without the key an index tells nothing of its number. The kind is part of
    the message, so a phone and an ID number of the same digits do not match."""
    normal = NORMALISERS[kind](value)
    if not normal:
        return NO_INDEX
    message = f"{kind}:{normal}".encode()
    return hmac.new(keyring().index_key, message, hashlib.sha256).hexdigest()


# --- model fields ----------------------------------------------------------------------------


class SealedOnlyExact(Exact):  # type: ignore[type-arg]
    """``field=""`` still works (an empty value is stored empty); any other comparison would
    compare against a fresh ciphertext and never match, so it is a programming error."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None) and not hasattr(self.rhs, "resolve_expression"):
            raise FieldError(
                f"{self.lhs.target.model._meta.label}.{self.lhs.target.name} is encrypted: look "
                "it up by its blind index (crypto.blind_index), never by its value"
            )
        return super().get_prep_lookup()


if TYPE_CHECKING:
    _Text = models.TextField[str, str]
    _Char = models.CharField[str, str]
else:
    _Text, _Char = models.TextField, models.CharField


class EncryptedTextField(_Text):
    """A personal number stored sealed (see the module). ``max_length`` limits the plaintext
    in forms; the column is text, as the sealed value is longer. Only ``=""`` and
    ``__isnull`` look-ups exist: the blind index finds a number."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    @property
    def column_name(self) -> str:
        return f"{self.model._meta.label}.{self.name}"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value), column=self.column_name)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt(value, column=self.column_name)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return SealedOnlyExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None  # FieldError "Unsupported lookup": no fragment search in ciphertext

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        # A one-line input, as the CharField it replaces had (TextField would give a textarea).
        return super().formfield(
            form_class, choices_form_class, **{"widget": forms.TextInput, **kwargs}
        )


class BlindIndexDescriptor(DeferredAttribute):
    """The index always follows its source on the instance: reading it computes the HMAC of
    the loaded plaintext, so every write path (save, bulk_create, bulk_update) stores the
    index of the value it stores. Without the source loaded, the stored index is read."""

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        field = cast("BlindIndexField", self.field)
        source = instance.__dict__.get(field.source, _MISSING)
        if source is not _MISSING:
            return blind_index(source or "", kind=field.kind)
        return super().__get__(instance, cls)

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


_MISSING = object()


class BlindIndexField(_Char):
    """The keyed HMAC of another field's normalised value (``source``, of ``kind`` phone or
    id_number), indexed, for exact look-ups and duplicate checks."""

    descriptor_class = BlindIndexDescriptor

    def __init__(self, *args: Any, source: str, kind: str, **kwargs: Any) -> None:
        if kind not in NORMALISERS:
            raise ValueError(f"unknown blind index kind {kind!r}")
        self.source, self.kind = source, kind
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, kind=self.kind)
        for key, default in (("blank", True), ("default", ""), ("editable", False)):
            if kwargs.get(key, not default) == default:
                kwargs.pop(key, None)
        if kwargs.get("max_length") == 64:
            kwargs.pop("max_length")
        if kwargs.get("db_index") is True:
            kwargs.pop("db_index")
        else:
            kwargs["db_index"] = False
        return name, path, args, kwargs


def indexes_of(model: type[models.Model]) -> dict[str, str]:
    """{source field name: its blind index field name} of a model."""
    return {f.source: f.name for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)}


def sealed_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def with_indexes(model: type[models.Model], fields: Iterable[str]) -> list[str]:
    """The field names to save, with the blind index of every named source added."""
    names = list(fields)
    for source, index in indexes_of(model).items():
        if source in names and index not in names:
            names.append(index)
    return names


class BlindIndexedModel(models.Model):
    """A model with blind indexes: ``save(update_fields=["phone"])`` saves ``phone_index``
    too (the kernel's act.save names only the fields an action changed), and so does saving
    an instance loaded with ``.only("phone", …)``."""

    class Meta:
        abstract = True

    def save(self, *args: Any, update_fields: Iterable[str] | None = None, **kwargs: Any) -> None:
        if update_fields is None and not self._state.adding:
            # Loaded with .only(): Django would save the loaded fields only, not the index.
            deferred = self.get_deferred_fields()
            if deferred:
                update_fields = [
                    f.attname
                    for f in self._meta.concrete_fields
                    if f.attname not in deferred and not f.primary_key
                ]
        if update_fields is not None:
            update_fields = with_indexes(type(self), update_fields)
        super().save(*args, update_fields=update_fields, **kwargs)


# --- the check -------------------------------------------------------------------------------


@checks.register(checks.Tags.security)
def check_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The keys parse; production does not run on the repository's public test keys."""
    errors: list[checks.CheckMessage] = []
    try:
        keyring()
    except KeyConfigError as exc:
        errors.append(checks.Error(str(exc), id="shuren.E001"))
        return errors
    test_keys = getattr(settings, "SHUREN_TEST_KEYS", ())
    if getattr(settings, "PRODUCTION", False) and (
        settings.SHUREN_INDEX_KEY in test_keys
        or any(key in settings.SHUREN_FIELD_KEYS for key in test_keys)
    ):
        errors.append(
            checks.Error(
                "SHUREN_FIELD_KEYS or SHUREN_INDEX_KEY is the public TEST key of the repository",
                hint="Make keys of your own: openssl rand -base64 32",
                id="shuren.E002",
            )
        )
    return errors
