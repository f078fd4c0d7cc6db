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


#: General MIDI programs that play a piece's bass: the basses, and the cello, double bass and tuba (a
#: cello's name says bass too, above)
_BASS_PROGRAMS = frozenset((*range(32, 40), 42, 43, 58))
#: programs that play chords under a tune: pianos, organs, guitars, string and choir ensembles, synth pads
_CHORDAL_PROGRAMS = frozenset((*range(0, 8), *range(16, 32), *range(48, 56), *range(88, 96)))


def instrument_role(program: int | None) -> str:
    """The role an empty track's instrument says: a bass plays the bass, a piano, organ, guitar or
    ensemble accompanies, any other instrument (a single line) harmonizes. An empty track has no notes to
    say it, and its instrument is what the musician chose it for."""
    if program in _BASS_PROGRAMS:
        return "bass"
    return "accompaniment" if program in _CHORDAL_PROGRAMS else "harmony"


def guess_roles(tracks) -> list[str]:
    """A role per pitched track: from its name when the name says it (Melody, Bass, Chords, Alto...),
    else from the notes: the highest single line is the melody, the lowest part the bass (when it sits
    low and plays no block chords: a tune's low left-hand triads accompany it, as the training data's
    chords do), chordal tracks accompany, other single lines harmonize. An empty track (one Continue in
    all tracks writes a new part in) has no notes to compare: a track with notes carries the melody
    before it, and its instrument says its role (``instrument_role``); it is the melody only when no
    track with notes can be and its instrument plays a single line."""
    from musestudio.io.midi import program_name
    from musestudio.ml.parts_grammar import polyphony_bin

    roles: list[str | None] = []
    for t in tracks:
        name = t.name.lower()
        program = getattr(t, "program", None)
        if program is not None and 0 <= program <= 127 and name == program_name(program).lower():
            name = ""  # the reader's default name, not the user's word
        roles.append(next((role for pat, role in _NAME_ROLES if re.search(pat, name)), None))
    means = [sum(n.pitch for n in t.notes) / len(t.notes) if t.notes else 0.0 for t in tracks]
    polyphony = [polyphony_bin(t.notes, 480) if t.notes else 0 for t in tracks]
    chordal = [b >= 2 for b in polyphony]
    # a bass may double itself in octaves (two notes an onset); over 2.2 an onset are chords, however low
    block_chords = [b >= 3 for b in polyphony]
    by_instrument = [None if t.notes else instrument_role(getattr(t, "program", None)) for t in tracks]
    free = [i for i, r in enumerate(roles) if r is None]
    heard = [i for i in free if tracks[i].notes]
    if free and "melody" not in roles:
        single = [i for i in free if by_instrument[i] == "harmony"]
        lines = [i for i in heard if not chordal[i]] or heard or single
        if lines:
            top = max(lines, key=lambda i: means[i])
            roles[top] = "melody"
            free.remove(top)
    for i in [i for i in free if by_instrument[i]]:
        roles[i] = by_instrument[i]
        free.remove(i)
    if free and "bass" not in roles and len(tracks) > 1:
        low = min(free, key=lambda i: means[i])
        if means[low] < 55 and not block_chords[low]:
            roles[low] = "bass"
            free.remove(low)
    for i in free:
        roles[i] = "accompaniment" if chordal[i] else "harmony"
    return [r or "free" for r in roles]
