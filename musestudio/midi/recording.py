"""Recording from a MIDI keyboard: timed messages in, notes and controller events at ticks out (Qt-free).

The input thread stamps every message with ``time.perf_counter()`` on arrival (``ports.InputPort``); the
transport knows which tick was being heard at any such moment (``clock.tick_at``). ``TakeRecorder`` turns
the two into a take: notes with the velocity they were struck with and the length they were held (a
note-off or a note-on with velocity 0 ends one), and the sustain pedal, every other controller, pitch bend
and pressure as the score's own ``ControlEvent`` lanes. ``record_into`` lays a take into a track, on top
of what is there (overdub) or in place of the bars it played over (replace); the caller makes that one undo
step. ``StepInput`` is the stopped-transport variant: each chord played (the notes pressed before all are
let go) is entered at the cursor, which then moves on by the snap.

Nothing here knows about Qt, ports or sound, so the tests feed recorded message lists straight in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter

import mido

from musestudio.core.events import (
    CHANNEL_PRESSURE,
    MODULATION,
    PITCH_BEND,
    PROGRAM,
    SOSTENUTO,
    SUSTAIN,
    ControlEvent,
    is_poly_pressure,
    lane_default,
    poly_pressure_lane,
    same_setting,
)
from musestudio.core.note import Note, restruck
from musestudio.core.project import TimeSignature
from musestudio.core.stacked import apart_at_this_grid, one_per_tick
from musestudio.core.timing import BarGrid
from musestudio.core.track import Track

#: The on/off pedals (sustain, portamento, sostenuto, soft, legato, hold 2): down at this value or more.
SWITCH_PEDALS = range(64, 70)
PEDAL_DOWN = 64
#: The pedals that hold notes on after their keys are let go (sustain, sostenuto, hold 2): in replace mode
#: they are the take's alone in the bars it played over, as its notes are (``record_into``).
HOLDING_PEDALS = frozenset({SUSTAIN, SOSTENUTO, 69})
#: The wheels: where a take ends with one off its rest, the track's playing is set back there, as for a pedal
#: still down, so what plays after the take (the old notes in overdub, the next take) is not bent. The keys'
#: pressure is set back so too (``rests``).
WHEELS = (PITCH_BEND, MODULATION)
#: Where a pedal let up or a wheel set back rests: up, no modulation, pitch bend's centre (0 here), and no
#: pressure on the keys.
AT_REST = 0

#: A note struck this much (in beats) before the record point, in the count-in's last moment, is an
#: early downbeat and starts at the record point; anything earlier was not meant for the take.
EARLY_BEATS = 0.25

#: A key struck again this soon (seconds) is the same strike sent twice: a keyboard layering two sounds sends
#: each key on two channels, a byte-time apart on a MIDI cable. No hand repeats a key this fast.
SAME_STRIKE_SECONDS = 0.01


def is_note_on(message: mido.Message) -> bool:
    return message.type == "note_on" and message.velocity > 0


def is_note_off(message: mido.Message) -> bool:
    return message.type == "note_off" or (message.type == "note_on" and message.velocity == 0)


def control_of(message: mido.Message) -> tuple[int, int] | None:
    """(lane, value) of a controller-like message, or None for anything else."""
    kind = message.type
    if kind == "control_change":
        return message.control, message.value
    if kind == "pitchwheel":
        return PITCH_BEND, message.pitch
    if kind == "aftertouch":
        return CHANNEL_PRESSURE, message.value
    if kind == "polytouch":
        return poly_pressure_lane(message.note), message.value
    if kind == "program_change":
        return PROGRAM, message.program
    return None


@dataclass(frozen=True)
class Recorded:
    """One take of recording, ready for ``record_into``: its notes and events, and the ``spans`` of bars
    the musician played over, each [start, end), in order and apart. Replace clears those and keeps the
    rest, so the spans are exactly the bars the music passed through while recording:

    - one, from the record point to where the take stopped (no loop, or a loop that never came round);
    - over a loop that came round, the loop's bars once a whole pass was played from the record point;
      stopped before the record point came again, two: from the record point to the loop's end, and from
      the loop's start to where the take stopped (the bars between were not played over in this take);
    - a loop turned off mid-take adds the bars the music played on through after it.

    A key struck for a loop's next downbeat just before the take stopped, the loop never come round, lies
    on the loop's start, outside the spans: the bars between were not played over, and replace keeps them."""

    notes: tuple[Note, ...]
    controllers: tuple[ControlEvent, ...]
    spans: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        """Where the first bar played over starts (the record point, or a loop's start)."""
        return self.spans[0][0]

    @property
    def end(self) -> int:
        """Where the last bar played over ends."""
        return self.spans[-1][1]

    @property
    def empty(self) -> bool:
        return not self.notes and not self.controllers

    def played_over(self, tick: int) -> bool:
        return any(a <= tick < b for a, b in self.spans)


class TakeRecorder:
    """Collects one take. ``tick_at(t)`` maps a message's arrival time to the tick heard then (it may be
    before ``start`` during the count-in); ``quantize_step`` > 0 snaps note starts to that grid as they
    come in, keeping how long each was held. The grid's lines are counted from each bar line of
    ``time_signatures`` (``BarGrid``), as the roll draws them: counted from tick 0, a half-note grid after
    a 3/4 bar in 4/4 put a note played just after a bar's downbeat on its beat 2, off every line drawn. A
    key struck in the count-in's last moment (``EARLY_BEATS``) is the record point's: it starts there,
    quantized or not.

    Over a ``loop`` (its ticks) ``tick_at`` counts on past the loop's end, a loop's length each lap, as if
    the loop were written out. What is played on every pass is laid into the loop's bars, so a pass's notes
    before the record point count; a note held over the loop's end ends there (but in the lap the loop was
    turned off in, where the music plays on), and a pedal or wheel held over the end is let go there
    (``_at_the_loop_s_end``), as a take's are where it ends. Quantized, the loop's start and end are lines
    of the grid, as the record point is (``_line``): a key struck in a pass's last moment that snaps to the
    loop's end goes on the loop's start, the next pass's downbeat it was meant for, as does one struck just
    after a pass began. Such a key alone does not bring the loop round: stopped before it came, the take is
    the bars played over. ``unloop`` says the loop was turned off mid-take: the music plays on from where
    it was, and so does the take.

    ``left_on`` are the pedals already down and the wheels or pressure already off their rest (lanes, see
    ``rests``) when the take begins, left so by an earlier one (jam mode's phrases follow each other under
    one pedal): the take lets them go too when it ends."""

    def __init__(
        self,
        tick_at: Callable[[float], float],
        start: int,
        tpb: int,
        quantize_step: int = 0,
        loop: tuple[int, int] | None = None,
        left_on: Iterable[int] = (),
        time_signatures: Sequence[TimeSignature] = (TimeSignature(0),),
    ) -> None:
        self.tick_at = tick_at
        self.start = start
        self.tpb = tpb
        self.quantize_step = quantize_step
        self.grid = BarGrid(quantize_step, tuple(time_signatures), tpb)
        self.loop = loop if loop is not None and loop[0] <= start < loop[1] else None
        self._held: dict[int, tuple[int, int]] = {}  # pitch -> (start tick, velocity)
        self._struck_at: dict[int, float] = {}  # pitch -> the arrival time of its last note-on
        self._notes: list[Note] = []
        self._played: list[tuple[int, int, int]] = []  # (tick counted on, lane, value) of each controller
        self._before: dict[int, int] = {}  # lane -> its latest value during the count-in
        self._on_before = frozenset(left_on)
        self.last_tick = start
        self._unlooped_at: int | None = None  # the tick (counted on) at which the loop was turned off
        self._shift = 0  # from then on: counted-on tick - heard tick (the loops' length times the laps)

    def unloop(self, at: int) -> None:
        """The loop was turned off at ``at`` (counted on past the loop's end): the laps stop coming, the
        music plays on from the bar it was in, and what is played from then on goes where it is heard."""
        if self.loop is None or self._unlooped_at is not None:
            return
        self._shift = at - self._in_loop(at)
        self._unlooped_at = at

    def _tick(self, message: mido.Message) -> int:
        return round(self.tick_at(message.time))

    def feed(self, message: mido.Message) -> None:
        """Take one message (``message.time`` is its arrival on the ``perf_counter`` clock)."""
        tick = self._tick(message)
        self.last_tick = max(self.last_tick, tick)
        if is_note_on(message):
            if tick < self.start - EARLY_BEATS * self.tpb or self._same_strike(message):
                return
            self._struck_at[message.note] = message.time
            self._end(message.note, tick)  # struck again while held: the first ends here
            self._held[message.note] = (max(tick, self.start), message.velocity)
        elif is_note_off(message):
            self._end(message.note, tick)
        elif (control := control_of(message)) is not None:
            lane, value = control
            if tick < self.start:
                self._before[lane] = value  # a pedal pressed in the count-in is down from the start
            else:
                self._played.append((tick, lane, value))

    def _same_strike(self, message: mido.Message) -> bool:
        """Whether a note-on only repeats the held one's strike (``SAME_STRIKE_SECONDS``): it adds no note,
        where it would end the first after a tick, a sliver doubling every note of a layered keyboard."""
        struck = self._struck_at.get(message.note)
        return message.note in self._held and message.time - struck < SAME_STRIKE_SECONDS

    def _end(self, pitch: int, tick: int) -> None:
        held = self._held.pop(pitch, None)
        if held is not None:
            start, velocity = held
            self._notes.append(self._note(pitch, start, tick, velocity))

    def _note(self, pitch: int, start: int, end: int, velocity: int) -> Note:
        """A note held from ``start`` to ``end`` (ticks counted on past a loop's end), in the loop's bars."""
        at = self._in_loop(start)
        length = max(1, end - start)
        if self.loop is not None and not self._in_last_lap(start):
            if self._on_the_loop_s_downbeat(start):
                at = self.loop[0]
            length = max(1, min(length, self.loop[1] - at))
        return Note(pitch, at, length, velocity)

    def _on_the_loop_s_downbeat(self, tick: int) -> bool:
        """Whether a key struck at ``tick`` (counted on) is a loop pass's last moment snapping to the loop's
        end or past it: it is meant for the next pass's downbeat, as a looper lays it, and goes on the loop's
        start. Snapped where it was played, it would lie after the loop and never be heard in it."""
        if self.quantize_step <= 0 or self.loop is None or self._in_last_lap(tick):
            return False
        return self._line(self._in_loop(tick)) >= self.loop[1]

    def _line(self, tick: int) -> int:
        """The grid line nearest ``tick`` (ticks of the loop's bars); the record point counts as a line, and
        so, in a loop, do its start and end (ties go later, as ``snap``). Off the grid, these are still
        downbeats the musician hears: the music comes in at the record point and comes round at the loop's
        start. A key struck for one a little late, or a little early (in the count-in's last moment, which
        ``feed`` starts on the record point; for a loop's next pass, ``_note``), lands on it, not on the
        grid line after it; one nearer a line of the grid goes on that line. Every pass lays a key alike."""
        line = self.grid.snap(tick)
        seams = [self.start]
        if self.loop is not None and self.loop[0] <= tick < self.loop[1]:  # not past a loop turned off
            seams.extend(self.loop)
        for seam in seams:
            if abs(tick - seam) < abs(tick - line) or (abs(tick - seam) == abs(tick - line) and seam > line):
                line = seam
        return line

    def _in_last_lap(self, tick: int) -> bool:
        """Whether ``tick`` is in the lap the loop was turned off in, or after it (no loop end comes)."""
        return self._unlooped_at is not None and tick >= self.loop[0] + self._shift

    def _in_loop(self, tick: int) -> int:
        """``tick`` (counted on past the loop's end) as the tick of the loop's bars played then."""
        if self._in_last_lap(tick):
            return tick - self._shift
        if self.loop is None or tick < self.loop[1]:
            return tick
        a, b = self.loop
        return a + (tick - b) % (b - a)

    @property
    def _first(self) -> int:
        """Where the take begins: the record point, or the loop's start once a pass has come round."""
        return self.loop[0] if self._came_round else self.start

    @property
    def _came_round(self) -> bool:
        if self.loop is None:
            return False
        if self._unlooped_at is not None:  # the music plays on past the loop's end: no lap after that
            return self._shift > 0
        return self.last_tick >= self.loop[1]

    def _played_over(self, end: int) -> list[tuple[int, int]]:
        """The bars the music passed through from the record point to ``end`` (counted on), in the order
        played: the last is the one the take stopped in. Over a loop, every bar of it once a whole pass
        came round to the record point again; before that, the record point to the loop's end and the
        loop's start to the stop, and not the bars between. Once the loop was turned off, the bars the
        music played on through after it."""
        if self.loop is None:
            return [(self.start, end)]
        a, b = self.loop
        looped = end if self._unlooped_at is None else max(self.start, min(end, self._unlooped_at))
        if looped - self.start >= b - a:
            pieces = [(a, b)]
        elif looped > b:
            pieces = [(self.start, b), (a, self._in_loop(looped))]
        else:
            pieces = [(self.start, looped)]
        if end > looped:  # played on past the loop turned off
            pieces.append((self._in_loop(looped), end - self._shift))
        return pieces

    @property
    def held(self) -> frozenset[int]:
        return frozenset(self._held)

    def notes_so_far(self, now_tick: int | None = None) -> tuple[Note, ...]:
        """The take's notes up to now, held ones as long as they have been held (what the roll shows)."""
        now = self.last_tick if now_tick is None else now_tick
        held = [self._note(p, s, now, v) for p, (s, v) in self._held.items()]
        return self._quantized([*self._notes, *held])

    def _quantized(self, notes: Iterable[Note]) -> tuple[Note, ...]:
        notes = tuple(notes)
        if self.quantize_step <= 0:
            return notes
        first = self._first
        # nothing goes before where the take begins; a note before it is a key struck for the loop's next
        # downbeat (``_note``), which stays on the loop's start
        snapped = [n.with_start(max(self._line(n.start), min(n.start, first))) for n in notes]
        return apart_on_the_grid(notes, snapped, self.grid)

    def finish(self, end_tick: int, release: bool = True) -> Recorded:
        """The take, with notes still held ended at ``end_tick`` (where recording stopped) and, with
        ``release``, pedals still down let up and wheels or pressure left off rest set back where the take
        ends (not when the playing goes on: jam mode's next phrase is played under the pedal still held).
        The wheel's moves stay as played; only what plays after the take starts from rest."""
        end = max(end_tick, self.start)
        self.last_tick = max(self.last_tick, end)
        for pitch in list(self._held):
            self._end(pitch, max(end, self._held[pitch][0] + 1))
        before = [ControlEvent(self.start, lane, value) for lane, value in self._before.items()]
        laid = [ControlEvent(self._in_loop(t), lane, v) for t, lane, v in self._played]
        played = before + laid
        notes = self._quantized(self._notes)
        *others, (first, last) = self._played_over(self.last_tick)

        def elsewhere(tick: int) -> bool:
            return any(a <= tick < b for a, b in others)

        # the bars the take stopped in reach as far as what was played in them (a note quantized past the
        # stop, one held to it)
        last = max(
            [
                last,
                *(n.end for n in notes if n.start >= first and not elsewhere(n.start)),
                *(c.tick for c in played if c.tick >= first and not elsewhere(c.tick)),
            ]
        )
        # a pedal still down is let up where the take ends, as the notes held then end there: left down,
        # it would hold every later note of the track for the rest of the piece (a wheel left off centre
        # would bend them, and the next take or playback from there would start bent)
        ups = [ControlEvent(last, lane, AT_REST) for lane in sorted(self.left_on)] if release else []
        at_last = {u.lane for u in ups}
        let_go = [
            e for e in self._at_the_loop_s_end(played + ups) if not (e.tick == last and e.lane in at_last)
        ]
        return Recorded(notes, tuple(before + let_go + laid + ups), merged([*others, (first, last)]))

    def _at_the_loop_s_end(self, played: list[ControlEvent]) -> list[ControlEvent]:
        """The pedals and wheels (``off_rest``'s lanes) set where the loop's end is in the take's bars: a
        pass ends there, and as at a take's end they go back to rest. A pedal pressed late in a pass and let
        up early in the next is laid down before the loop's end and up before that, in the loop's bars:
        left so, it would hold every note after the loop, and the take's first ones when it comes round.
        Where the loop was turned off and the last pass played on through its end, they are set as that
        pass had them there (a pedal it held on into the next bar stays down)."""
        if not self._came_round:
            return []
        end = self.loop[1]
        laid: dict[int, int | None] = dict.fromkeys(self._on_before)  # None: on, its value unknown
        for c in sorted((c for c in played if c.tick < end), key=attrgetter("tick")):  # stable: as played
            laid[c.lane] = c.value
        heard: dict[int, int | None] = {}
        crossed = end + self._shift  # the tick (counted on) at which the last pass played on past the end
        if self._unlooped_at is not None and self.last_tick > crossed:
            heard = dict.fromkeys(self._on_before)
            heard.update(self._before)
            heard.update((lane, v) for t, lane, v in self._played if t < crossed)
        out = []
        for lane, value in sorted(laid.items()):
            wanted = heard.get(lane, AT_REST)
            if wanted is not None and (lane in SWITCH_PEDALS or rests(lane)) and _differ(lane, value, wanted):
                out.append(ControlEvent(end, lane, wanted))
        return out

    @property
    def left_on(self) -> frozenset[int]:
        """The pedals down and the wheels or pressure off rest now: so in this take or before it
        (``left_on``), and not let go since."""
        value: dict[int, int | None] = dict.fromkeys(self._on_before)  # None: on, its value unknown
        for lane, v in [*self._before.items(), *((lane, v) for _, lane, v in self._played)]:
            value[lane] = v
        return frozenset(lane for lane, v in value.items() if off_rest(lane, v))

    def let_go(self, tick: int) -> None:
        """The keyboard went away (unplugged, or no longer listened to) at ``tick``: its note-offs and
        pedal-ups will never come, so the keys and pedals it held end there, as they do in the sound
        (``MidiThru.release``), not many bars later where the take stops; so does a wheel it left off rest."""
        down = sorted(self.left_on)
        if tick < self.start:  # in the count-in: up where the take starts
            self._before.update(dict.fromkeys(down, AT_REST))
            down = []
        tick = max(tick, self.start)
        self.last_tick = max(self.last_tick, tick)
        for pitch in list(self._held):
            self._end(pitch, max(tick, self._held[pitch][0] + 1))
        self._played.extend((tick, lane, AT_REST) for lane in down)


def merged(spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """``spans`` in order, those that meet or overlap made one; an empty span goes only where all are (a
    take stopped where it started still has its place)."""
    spans = list(spans)
    out: list[tuple[int, int]] = []
    for a, b in sorted(s for s in spans if s[0] < s[1]):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out) or (spans[-1],)


def _differ(lane: int, value: int | None, other: int) -> bool:
    """Whether ``lane`` plays otherwise at ``value`` than at ``other``: a pedal up or down, any other lane
    at its value (None: on, at a value not known)."""
    if lane in SWITCH_PEDALS:
        return off_rest(lane, value) != off_rest(lane, other)
    return value != other


def off_rest(lane: int, value: int | None) -> bool:
    """Whether ``lane`` at ``value`` is a pedal down or a lane that ``rests`` off rest (None: left so by an
    earlier take, at a value this one did not see); any other controller stays where it was set."""
    if lane in SWITCH_PEDALS:
        return value is None or value >= PEDAL_DOWN
    if rests(lane):
        return value is None or value != AT_REST
    return False


def rests(lane: int) -> bool:
    """Whether ``lane`` goes back to rest on its own when the hand lets go: a wheel springs back to centre,
    the keys' pressure (channel or each key's) falls to none. Left off rest at a take's end, it is set
    back there; any later note would play bent, vibrato'd, or pressed (louder, brighter) without it."""
    return lane in WHEELS or lane == CHANNEL_PRESSURE or is_poly_pressure(lane)


def apart_on_the_grid(played: Sequence[Note], snapped: Sequence[Note], grid: BarGrid) -> tuple[Note, ...]:
    """``snapped`` (the ``played`` notes with their starts on the grid) with no two strikes of a key on one
    grid line, where quantizing would stack them: a key repeated quickly snaps twice to the line nearest.
    They are kept apart as Quantize keeps them (``core.stacked.apart_at_this_grid``); a key played again on
    a later pass of a loop where it was played before, or with no free line beside it, is one strike. A key
    struck again ends the note before it (``restruck``), as on the keyboard, so no two notes of a pitch
    overlap either."""
    rows = ((was.start, note, True) for was, note in zip(played, snapped, strict=True))
    return tuple(restruck(one_per_tick(rows, apart_at_this_grid(grid), keep_lengths=True).notes))


def record_into(track: Track, take: Recorded, replace: bool) -> Track:
    """``track`` with ``take`` laid in. Overdub keeps everything; replace first clears the notes that
    start in the bars the take played over (its ``spans``) and the events there of the lanes the take
    recorded (a pedal re-recorded replaces the old pedal, the old modulation stays when none was played).
    A note the take plays again where the track has one (same key, same start: ``played_again``) goes in
    its place, as the musician played it now: the two would sound as one, but the score would hold a note
    twice.

    Replace clears the old pedals that hold notes on (``HOLDING_PEDALS``) in those bars whether the take
    used them or not: they were pressed for the old notes, and the bars replaced sound as they were played
    now. An old pedal still down where a span starts is let up there (unless the take sets it there itself):
    left down, it held every note played over it, though the musician never touched the pedal.

    Past the end of each span the track plays on as it was: its events at that tick come after the take's
    (the pedal the take lets up there must not cancel the next bar's pedal pressed on its downbeat), and in
    replace mode a recorded lane (or holding pedal) whose old event before the end was cleared is set back
    there to the value it had (an old pedal held over the end still holds the old notes after it). A wheel
    (or pressure) the take leaves at rest there is set back in overdub too, so the track's own modulation
    (or bend) after it plays as it did; one it leaves off rest (a jam phrase's, still held into the next)
    stays so. Anywhere the take lets a pedal up on the tick the track presses it, or presses it where the
    track lets it up, the let-up goes first (``_let_up_before_pressed``): the pedal is changed, not lost."""
    notes = list(track.notes)
    controllers = list(track.controllers)
    lanes = {c.lane for c in take.controllers}
    ups: list[ControlEvent] = []
    if replace:
        lanes |= {c.lane for c in controllers if c.lane in HOLDING_PEDALS}
        notes = [n for n in notes if not take.played_over(n.start)]
        controllers = [c for c in controllers if not (c.lane in lanes and take.played_over(c.tick))]
        ups = _old_pedals_let_up(track, take)
    again = {n.id for n in played_again(track, take)}
    notes = [*(n for n in notes if n.id not in again), *take.notes]
    ends = {b for _, b in take.spans}
    laid_in = [*ups, *take.controllers]
    merged_in = [
        *(c for c in controllers if c.tick not in ends),
        *laid_in,
        *(c for c in controllers if c.tick in ends),
    ]
    laid = track.with_(notes=notes, controllers=_let_up_before_pressed(merged_in, {c.id for c in laid_in}))
    for a, b in take.spans:  # each set back on what the ones before left, as it will play
        in_span = sorted((c for c in take.controllers if a <= c.tick <= b), key=ControlEvent.sort_key)
        at_end = {c.lane: c.value for c in in_span}
        set_back = lanes if replace else {lane for lane, v in at_end.items() if rests(lane) and v == AT_REST}
        back = [_set_back(track, laid, lane, b) for lane in sorted(set_back)]
        laid = laid.with_controllers([*laid.controllers, *(e for e in back if e is not None)])
    return laid


def _let_up_before_pressed(events: list[ControlEvent], taken: set[int]) -> list[ControlEvent]:
    """``events`` by tick, where at one tick the take (ids ``taken``) lets a pedal up and the track presses
    it, or the reverse, the one letting it up first: a pianist's change of pedal, which ends down. The take
    lets its pedal up where a loop it played over ends (``TakeRecorder._at_the_loop_s_end``), which, the
    loop turned off and the music played on, lies inside its bars: the track's pedal pressed on that
    downbeat came before it, and the let-up cancelled it (the next bar's old notes played unpedalled).
    Each side's events at the tick keep their order."""
    last: dict[tuple[int, int, bool], int] = {}  # (tick, pedal, the take's) -> where it leaves the pedal
    for e in events:
        if e.lane in SWITCH_PEDALS:
            last[(e.tick, e.lane, e.id in taken)] = e.value

    def pressed_last(e: ControlEvent) -> bool:
        """Whether ``e``'s side leaves its pedal down at its tick where the other side leaves it up."""
        if e.lane not in SWITCH_PEDALS or (other := last.get((e.tick, e.lane, e.id not in taken))) is None:
            return False
        return off_rest(e.lane, last[(e.tick, e.lane, e.id in taken)]) and not off_rest(e.lane, other)

    return sorted(events, key=lambda e: (e.tick, pressed_last(e)))


def _old_pedals_let_up(track: Track, take: Recorded) -> list[ControlEvent]:
    """Where each span ``take`` played over starts, the old holding pedals (``HOLDING_PEDALS``) of
    ``track`` still down there let up, but where the take sets the pedal there itself."""
    ups = []
    for a, b in take.spans:
        if a >= b or a == 0:  # a take stopped where it began plays over nothing; nothing is down before 0
            continue
        own = {c.lane for c in take.controllers if c.tick == a}
        for lane in sorted(HOLDING_PEDALS - own):
            if off_rest(lane, track.value_at(lane, a - 1, AT_REST)):
                ups.append(ControlEvent(a, lane, AT_REST))
    return ups


def played_again(track: Track, take: Recorded) -> tuple[Note, ...]:
    """The notes of ``track`` that ``take`` plays again: a note of the take on the same key at the same
    start (a quantized take lands a note played along with the track right on it)."""
    struck = {(n.pitch, n.start) for n in take.notes}
    return tuple(n for n in track.notes if (n.pitch, n.start) in struck)


def _set_back(old: Track, laid: Track, lane: int, end: int) -> ControlEvent | None:
    """The event at ``end`` that sets ``lane`` back to where ``old`` had it there, where the take left it
    elsewhere; None where it is where it was (or ``old`` never set it: the lane was the take's alone)."""
    was = old.value_at(lane, end)
    if was is None or same_setting(lane, laid.value_at(lane, end, lane_default(lane)), was):
        return None
    return ControlEvent(end, lane, was)


class StepInput:
    """While stopped: each chord played goes in at the cursor, then the cursor moves on by one step.

    A chord is every note pressed before all keys are let go again, so a chord need not be struck at
    exactly one instant. ``feed`` returns the notes to enter (each ``step`` long) when the last key of a
    chord is released, else None.
    """

    def __init__(self) -> None:
        self._down: set[int] = set()
        self._chord: dict[int, int] = {}  # pitch -> velocity, in the order pressed

    def feed(self, message: mido.Message, cursor: int, step: int) -> tuple[Note, ...] | None:
        if is_note_on(message):
            self._down.add(message.note)
            self._chord.setdefault(message.note, message.velocity)
        elif is_note_off(message) and message.note in self._down:
            self._down.discard(message.note)
            if not self._down and self._chord:
                chord, self._chord = self._chord, {}
                return tuple(Note(p, max(0, cursor), max(1, step), v) for p, v in sorted(chord.items()))
        return None

    def reset(self) -> None:
        self._down.clear()
        self._chord.clear()
