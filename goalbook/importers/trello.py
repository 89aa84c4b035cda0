"""Trello: a board's JSON export (Board menu → Print, export and share → Export as JSON).

The board document has ``lists`` ({id, name, closed}), ``cards`` ({id, shortLink, name, idList,
closed, start, due, dueComplete, labels: [{name}], badges: {checkItems, checkItemsChecked},
shortUrl}) and ``labels``. A card's status is the name of its list; its progress, when it has a
checklist, is the share of items checked; ``dueComplete`` marks it done. Archived cards are
skipped. Labels name the goal it serves.
"""

from __future__ import annotations

from goalbook.importers import TrackerFormatError, TrackerItem
from goalbook.importers._rows import field_of, json_document, parse_day, text_of


def read_board(text: str, name: str = "trello.json") -> list[TrackerItem]:
    """The open cards of a Trello board export."""
    doc = json_document(text, name, "Trello board")
    if not isinstance(doc, dict) or not isinstance(doc.get("cards"), list) or not isinstance(doc.get("lists"), list):
        raise TrackerFormatError(f"{name}: no 'cards' and 'lists' — expected a Trello board's JSON export")
    lists = {}
    for n, lst in enumerate(doc["lists"]):
        where = f"{name}: lists[{n}]"
        lists[text_of(lst, "id", where, required=True)] = text_of(lst, "name", where, required=True)
    items = []
    for n, card in enumerate(doc["cards"]):
        where = f"{name}: cards[{n}]"
        if not isinstance(card, dict):
            raise TrackerFormatError(f"{where}: should be an object")
        if card.get("closed") is True:
            continue
        key = text_of(card, "shortLink", where) or text_of(card, "id", where, required=True)
        where = f"{where} ({key})"
        list_id = text_of(card, "idList", where, required=True)
        if list_id not in lists:
            raise TrackerFormatError(f"{where}: idList '{list_id}' is not one of the board's lists")
        total, checked = field_of(card, "badges.checkItems", where), field_of(card, "badges.checkItemsChecked", where)
        progress = None
        if isinstance(total, int) and isinstance(checked, int) and total > 0:
            if not 0 <= checked <= total:
                raise TrackerFormatError(f"{where}: {checked} of {total} checklist items checked is impossible")
            progress = checked / total
        status = "Done" if card.get("dueComplete") is True else lists[list_id]  # type: ignore[index]
        labels = [text_of(lb, "name", where) for lb in card.get("labels") or [] if isinstance(lb, dict)]
        items.append(TrackerItem(
            key=key, title=text_of(card, "name", where, required=True), status=status,  # type: ignore[arg-type]
            row=where, start=parse_day(card.get("start"), f"{where}: start"),
            end=parse_day(card.get("due"), f"{where}: due"), progress=progress,
            groups=tuple(dict.fromkeys(lb for lb in labels if lb)), url=text_of(card, "shortUrl", where)))
    return items
