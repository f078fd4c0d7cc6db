"""A role for each track the user did not name one for: shared by the CLI's parts commands and the app.

The parts model reads each part with a role (melody, harmony, bass, ...). A track named Melody, Bass,
Chords or Alto says its role; otherwise the notes do (see ``guess_roles``). A name that is only its
instrument's General MIDI name is the MIDI reader's, given to a track the file left unnamed
("Acoustic Grand Piano" for both hands of a tune and its chords): it says nothing about the role.
"""

from __future__ import annotations

import re

_NAME_ROLES = (
    (r"bridge|counter|obbligato", "counter-melody"),
    (r"bass|cello|basso|left", "bass"),
    # a quartet's first violin leads, its second fills in: "Violin I", "1st Violin", "Violino primo"
    (r"melod|lead|vocal|voice\b|soprano|cantus|tune|violino? ?(1|i|primo)\b|(1st|first) violin", "melody"),
    (r"chord|piano|pad|accomp|rhythm|guitar|comp\b|right", "accompaniment"),
    (r"alto|tenor|harmon|viola|violino? ?(2|ii|secondo)\b|(2nd|second) violin|inner", "harmony"),
)


def guess_roles(tracks) -> list[str]:
    """A role per pitched track: from its name when the name says it (Melody, Bass, Chords, Alto...),
    else from the notes: the highest single line is the melody, the lowest part the bass (when it sits
    low), chordal tracks accompany, other single lines harmonize."""
    from musestudio.io.midi import program_name
    from musestudio.ml.parts_grammar import polyphony_bin

    roles: list[str | None] = []
    for t in tracks:
        name = t.name.lower()
        program = getattr(t, "program", None)
        if program is not None and 0 <= program <= 127 and name == program_name(program).lower():
            name = ""  # the reader's default name, not the user's word
        roles.append(next((role for pat, role in _NAME_ROLES if re.search(pat, name)), None))
    means = [sum(n.pitch for n in t.notes) / len(t.notes) if t.notes else 60.0 for t in tracks]
    chordal = [bool(t.notes) and polyphony_bin(t.notes, 480) >= 2 for t in tracks]
    free = [i for i, r in enumerate(roles) if r is None]
    if free and "melody" not in roles:
        lines = [i for i in free if not chordal[i]] or free
        top = max(lines, key=lambda i: means[i])
        roles[top] = "melody"
        free.remove(top)
    if free and "bass" not in roles and len(tracks) > 1:
        low = min(free, key=lambda i: means[i])
        if means[low] < 55:
            roles[low] = "bass"
            free.remove(low)
    for i in free:
        roles[i] = "accompaniment" if chordal[i] else "harmony"
    return [r or "free" for r in roles]
