"""LHEO XML parsing safety: DTD and entities refused in the prolog, the root checked, libxml2 errors in French."""
from __future__ import annotations

import codecs
import io
import re
from typing import IO

from lxml import etree

from lib.core.errors import DataError

NAMESPACES = ("http://www.lheo.org/", "http://lheo.gouv.fr/", "https://www.lheo.org/", "https://lheo.gouv.fr/")
ROOTS = {"lheo", "lheo-leger"}
PROLOG_BYTES = 65536


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""



def _decoded_prolog(prolog: bytes) -> str:
    """The prolog as text, whatever the encoding, so the DTD check cannot be dodged by UTF-16."""
    if prolog.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return prolog.decode("utf-16", errors="ignore")
    if prolog.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return prolog.decode("utf-32", errors="ignore")
    if prolog[:4] == b"<\x00?\x00" or prolog[1:2] == b"\x00":
        return prolog.decode("utf-16-le", errors="ignore")
    if prolog[:4] == b"\x00<\x00?" or prolog[:1] == b"\x00":
        return prolog.decode("utf-16-be", errors="ignore")
    return prolog.decode("latin-1")


def _check_prolog(stream: IO[bytes], filename: str) -> bytes:
    """Refuse DTDs and entity declarations before any parsing (billion laughs, XXE)."""
    prolog = stream.read(PROLOG_BYTES)
    if not prolog.strip():
        raise DataError(f"Le fichier « {filename} » est vide.")
    upper = _decoded_prolog(prolog).upper()
    if "<!DOCTYPE" in upper or "<!ENTITY" in upper:
        raise DataError(
            f"« {filename} » contient une déclaration DTD ou d'entités (<!DOCTYPE>, <!ENTITY>), refusée par sécurité. "
            "Les exports LHEO n'en ont pas besoin : demandez un export sans DOCTYPE."
        )
    return prolog


def _check_root(prolog: bytes, filename: str) -> str:
    """The root element must be ``lheo`` or ``lheo-leger``, in no namespace or an LHEO one."""
    try:
        for _, elem in etree.iterparse(io.BytesIO(prolog), events=("start",), resolve_entities=False,
                                       no_network=True, load_dtd=False):
            name, namespace = _local(elem.tag), etree.QName(elem.tag).namespace or ""
            if name not in ROOTS or (namespace and not namespace.startswith(NAMESPACES)):
                raise DataError(
                    f"« {filename} » n'est pas un fichier LHEO : élément racine « {name} »"
                    + (f" dans l'espace de noms « {namespace} »" if namespace else "")
                    + " (attendu : lheo ou lheo-leger, espace de noms http://www.lheo.org/… ou http://lheo.gouv.fr/…)."
                )
            return namespace
    except etree.XMLSyntaxError as err:
        # Only the prolog is parsed here: its end cuts the document, which is no error of the file.
        if err.lineno and err.code not in (_E.ERR_EXTRA_CONTENT, _E.ERR_DOCUMENT_END, _E.ERR_TAG_NOT_FINISHED,
                                           _E.ERR_GT_REQUIRED, _E.ERR_NAME_REQUIRED):
            raise DataError(xml_error_message(err, filename)) from err
    raise DataError(f"« {filename} » : XML mal formé, aucun élément racine lisible.")


_E = etree.ErrorTypes
# libxml2's messages are English: the common ones in French, by error code (the message's own
# words only to pick the names it quotes). Any other: the line and column, without English.
_XML_ERRORS: dict[int, tuple[str, str | None]] = {
    _E.ERR_TAG_NAME_MISMATCH: ("balise ouvrante et fermante différentes", r"mismatch: (\S+) line (\d+) and (\S+?),"),
    _E.ERR_TAG_NOT_FINISHED: ("fin du fichier avant la fermeture d'une balise (fichier tronqué ?)", r"in tag (\S+) line (\d+)"),
    _E.ERR_LTSLASH_REQUIRED: ("balise fermante attendue", None),
    _E.ERR_GT_REQUIRED: ("balise ouvrante non terminée (« > » manquant)", None),
    _E.ERR_NAME_REQUIRED: ("nom de balise ou d'entité manquant (un « & » ou un « < » non échappé ? écrire &amp; ou &lt;)", None),
    _E.ERR_ENTITYREF_SEMICOL_MISSING: ("« ; » manquant après une entité (un « & » non échappé ? écrire &amp;)", None),
    _E.ERR_UNDECLARED_ENTITY: ("entité non définie", r"Entity '([^']+)'"),
    _E.ERR_INVALID_ENCODING: ("octets invalides pour l'encodage déclaré (indiquez le bon encodage dans "
                              "la déclaration XML, par exemple encoding=\"ISO-8859-1\")", None),
    _E.ERR_UNSUPPORTED_ENCODING: ("encodage non pris en charge", None),
    _E.ERR_UNKNOWN_ENCODING: ("encodage inconnu", None),
    _E.ERR_ATTRIBUTE_NOT_STARTED: ("valeur d'attribut sans guillemets", None),
    _E.ERR_ATTRIBUTE_NOT_FINISHED: ("valeur d'attribut non terminée", None),
    _E.ERR_ATTRIBUTE_WITHOUT_VALUE: ("attribut sans valeur", None),
    _E.ERR_ATTRIBUTE_REDEFINED: ("attribut répété dans une même balise", r"Attribute (\S+) redefined"),
    _E.ERR_LT_IN_ATTRIBUTE: ("« < » non échappé dans une valeur d'attribut (écrire &lt;)", None),
    _E.ERR_EQUAL_REQUIRED: ("« = » attendu après un nom d'attribut", None),
    _E.ERR_SPACE_REQUIRED: ("espace attendue entre deux attributs", None),
    _E.ERR_DOCUMENT_END: ("contenu en trop après la fin du document", None),
    _E.ERR_EXTRA_CONTENT: ("contenu en trop après la fin du document", None),
    _E.ERR_DOCUMENT_EMPTY: ("balise ouvrante attendue, aucun « < » trouvé", None),
    _E.ERR_DOCUMENT_START: ("début de document illisible", None),
    _E.ERR_NOT_WELL_BALANCED: ("balises mal imbriquées", None),
    _E.ERR_INVALID_CHAR: ("caractère interdit en XML", None),
    _E.ERR_INVALID_CHARREF: ("référence de caractère invalide", None),
    _E.ERR_INVALID_DEC_CHARREF: ("référence de caractère invalide", None),
    _E.ERR_INVALID_HEX_CHARREF: ("référence de caractère invalide", None),
    _E.ERR_COMMENT_NOT_FINISHED: ("commentaire non fermé (« --> » manquant)", None),
    _E.ERR_CDATA_NOT_FINISHED: ("section CDATA non fermée", None),
    _E.ERR_PI_NOT_FINISHED: ("instruction de traitement non fermée (« ?> » manquant)", None),
    _E.ERR_XMLDECL_NOT_FINISHED: ("déclaration XML non terminée", None),
    _E.ERR_RESERVED_XML_NAME: ("déclaration XML ailleurs qu'au début du fichier", None),
    _E.ERR_STRING_NOT_CLOSED: ("guillemet non fermé", None),
    _E.NS_ERR_UNDEFINED_NAMESPACE: ("préfixe d'espace de noms non déclaré", r"prefix (\S+) on"),
}


def xml_error_message(err: etree.XMLSyntaxError, filename: str) -> str:
    """« XML mal formé à la ligne 12, colonne 5 : balise ouvrante et fermante différentes (…) »."""
    code, message, (line, column) = err.code, err.msg or "", err.position or (err.lineno, 0)
    if not line and err.error_log:  # lxml sometimes raises a generic error; the log has the parser's own
        entry = err.error_log.last_error
        code, message, line, column = entry.type, entry.message, entry.line, entry.column
    where = f"à la ligne {line}" + (f", colonne {column}" if column else "") if line else "(position inconnue)"
    text = f"« {filename} » : XML mal formé {where}"
    known = _XML_ERRORS.get(code)
    if known is None:
        return text + "."
    label, pattern = known
    found = re.search(pattern, message) if pattern else None
    if found and code == _E.ERR_TAG_NAME_MISMATCH:
        label += f" (« {found[1]} » ouverte à la ligne {found[2]}, fermée par « {found[3]} »)"
    elif found and code == _E.ERR_TAG_NOT_FINISHED:
        label += f" : « {found[1]} » ouverte à la ligne {found[2]} n'est pas fermée"
    elif found:
        label += f" : « {found[1]} »"
    return f"{text} : {label}."


class _Rewind(io.RawIOBase):
    """The prolog already read, then the rest of the stream."""

    def __init__(self, prolog: bytes, rest: IO[bytes]):
        self._buffer, self._rest = prolog, rest

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        if self._buffer:
            size = min(len(target), len(self._buffer))
            target[:size], self._buffer = self._buffer[:size], self._buffer[size:]
            return size
        chunk = self._rest.read(len(target))
        target[: len(chunk)] = chunk
        return len(chunk)
