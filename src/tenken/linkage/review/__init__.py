"""The review workflow as pure domain code: from an inspection's finding to an approved correction.

No Django and no I/O here (except :mod:`.export` and :mod:`.casefile`, which read and write
files): the store and the site load a case, call these functions and save what they return.

    facts      per-fact comparison of a record with a registry state (agree / differs / history)
    model      case files, decisions and the case state (frozen dataclasses)
    numbers    where the number to set may come from (a unique full match, or typed and checked)
    workflow   open → decided → approved | returned → exported, who may do what
    casefile   cases built from a ``tenken inspect`` output folder
    manifest   checksums of an inspect output and the verifier of a folder
    export     the corrections file (CSV / xlsx) for the source system
"""
