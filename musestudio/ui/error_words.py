"""The errors of the Qt-free layers, said in the user's language.

``ml.learned``, the style trainer, the file readers (``io.files``, the MIDI reader, the project file and its
recovery copies), the savers (``io.files.save_error``: a project, a MIDI or WAV export), the soundfont and
the synth (``audio.soundfont``, ``audio.synth``, ``audio.render``), the MIDI system and its ports
(``midi.ports``), the engines' checks of a Generate and the model files' (``generate_error_words``) cannot
import Qt, so they raise their errors in English (the command line's words) with a ``code`` naming the
problem and the ``params`` its wording needs (``BadInputError.as_json``); the trainer sends the same three
over its JSON lines. Here each code is worded through ``tr()``; a code this table does not know (a newer
trainer, a problem without one) is said in the English it came with, rather than not at all. What a library
or the OS said in its own words (FluidSynth, rtmidi, strerror) stays a parameter. A damaged project file's
details (where in the file, and which check of its fields or of ``core``'s values failed) are worded in
``project_error_words``, a damaged model file's (which check of its settings, header or weights failed) in
``model_error_words``. The params are filled in spaced as the language writes them (``placeholders``).
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from musestudio.core.errors import BadInputError
from musestudio.ui.generate_error_words import KIND_PARAMS, GenerateErrorWords, model_kind
from musestudio.ui.keynames import mode_label
from musestudio.ui.model_error_words import ModelErrorWords
from musestudio.ui.placeholders import fill
from musestudio.ui.project_error_words import ProjectErrorWords

SKIP_REASON_SHOWN = 5  # files named in "no usable MIDI files to learn from (...)": the trainer sends five


class ErrorWords(QObject):
    """Words an error (a ``BadInputError`` or the ``{"message", "code", "params"}`` the trainer sends)."""

    def say(self, error: BadInputError | dict | Exception | str) -> str:
        """The error in the user's words; any other exception (or text) as it came."""
        if isinstance(error, BadInputError):
            said = error.as_json()
        else:
            said = error if isinstance(error, dict) else {"message": str(error)}
        template = self._templates().get(said.get("code") or "")
        if template is None:
            return str(said.get("message") or "")
        text, names = template
        params = said.get("params") or {}
        return fill(text, *(self._value(name, params.get(name, "")) for name in names))

    def skip_reason(self, skipped: dict) -> str:
        """Why the trainer passed over a file (its ``why``: ``ml.data.learn.REASONS``), in the user's words;
        what the MIDI reader said of a file it cannot read is worded from its code too (English when it
        came without one)."""
        reasons = {
            "missing": self.tr("there is no such file"),
            "not_midi": self.tr("not a MIDI file (%1)"),
            "no_midi_in_folder": self.tr("a folder with no MIDI files in it (%1)"),
            "too_many": self.tr("more than %1 files: the rest were left out"),
            "unreadable": self.tr("it cannot be read: %1"),
            "no_pitched_notes": self.tr("it has no pitched notes (only drums, or nothing)"),
            "odd_meter": self.tr("its meter %1 is one the models have no token for"),
            "too_short": self.tr("it is shorter than %1 bars"),
        }
        detail = self.say(skipped["said"]) if skipped.get("said") else str(skipped["detail"])
        return reasons[skipped["why"]].replace("%1", detail)

    def _value(self, name: str, value: object) -> str:
        """A parameter as the message shows it: the kind of file an opener expected named, a key, a mode, a
        kind of model, a place in a project file and a controller lane in the user's words, a nested error
        (a detail, a kind of model this version does not know) worded, the skipped files with their reasons,
        the MIDI ports there are (quoted, as the port names are), a list as a comma-separated one."""
        if isinstance(value, dict):
            return self.say(value)
        if name == "kind":
            return self._file_kinds().get(str(value), str(value))
        if name == "ports":
            return ", ".join(f"'{port}'" for port in value) or self.tr("none")
        if name == "key":
            tonic, _, mode = str(value).partition(" ")
            return f"{tonic} {mode_label(mode)}" if mode in ("major", "minor") else str(value)
        if name == "key_mode":
            return mode_label(str(value)) if value in ("major", "minor") else str(value)
        if name in KIND_PARAMS:
            return model_kind(str(value))
        if name == "place":
            return ProjectErrorWords(self).place(value)
        if name == "lane" and isinstance(value, int):
            return ProjectErrorWords(self).lane(value)
        if name == "skipped":
            shown = [f"{s['file']}: {self.skip_reason(s)}" for s in value[:SKIP_REASON_SHOWN]]
            return "; ".join(shown) or self.tr("no MIDI files given")
        if isinstance(value, list):
            return ", ".join(map(str, value))
        return str(value)

    def _templates(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """code: (the words, with %1, %2... for the params named after them)."""
        return {
            **self._name_words(),
            **self._style_file_words(),
            **self._trainer_words(),
            **self._midi_words(),
            **self._input_words(),
            **self._save_words(),
            **self._os_words(),
            **self._project_words(),
            **self._soundfont_words(),
            **self._midi_system_words(),
            **self._midi_port_words(),
            **GenerateErrorWords(self).templates(),
            **ModelErrorWords(self).templates(),
            **ProjectErrorWords(self).templates(),
        }

    def _name_words(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        return {
            "no_name": (self.tr("a learned style needs a name"), ()),
            "name_too_long": (self.tr("a style name can be at most %1 characters"), ("most",)),
            "name_control_characters": (self.tr("a style name cannot hold control characters"), ()),
            "name_built_in": (self.tr("'%1' is a built-in style; choose another name"), ("name",)),
            "name_taken": (self.tr("there is already a learned style called '%1'"), ("name",)),
            "no_such_style": (self.tr("there is no learned style called '%1'"), ("name",)),
        }

    def _style_file_words(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        where, in_file = ("where",), ("where", "model")
        return {
            "not_a_style": (self.tr("%1 is not a MuseStudio learned style"), where),
            "newer_format": (
                self.tr("%1 has style format %2, this version reads %3: it was made by a newer MuseStudio"),
                ("where", "version", "reads"),
            ),
            "meta_no_name": (self.tr("%1 has no style name"), where),
            "unknown_base_style": (
                self.tr("%1 starts from an unknown built-in style '%2'"),
                ("where", "style"),
            ),
            "no_known_base_model": (
                self.tr("%1 names no base model this version knows (%2)"),
                ("where", "known"),
            ),
            "no_hash": (self.tr("%1: the entry for %2 has no base model hash"), in_file),
            "no_rank": (self.tr("%1: the entry for %2 has no valid rank"), in_file),
            "onset_order": (self.tr("%1: the entry for %2 reads onsets in an unknown order"), in_file),
            "key_prior_damaged": (
                self.tr("%1: the key prior for %2 is damaged (12 numbers per mode expected)"),
                in_file,
            ),
            "meta_field_damaged": (self.tr("%1: its '%2' is damaged"), ("where", "field")),
            "meta_too_large": (self.tr("%1 is too large to be a style's settings"), where),
            "meta_unreadable": (self.tr("%1 cannot be read: %2"), ("where", "why")),
            "meta_not_json": (self.tr("%1 is damaged (not valid JSON)"), where),
            "weights_missing": (
                self.tr("the weights of learned style '%1' (%2) are missing"),
                ("name", "where"),
            ),
            "weights_too_large": (self.tr("%1 is larger than a learned style can be (4 MB)"), where),
            "no_layers_for_model": (
                self.tr("learned style '%1' has no layers for the %2 model (it was learned for: %3)"),
                ("name", "model", "have"),
            ),
            "other_base_model": (
                self.tr(
                    "learned style '%1' was made for another %2 model than the one installed (it was learned "
                    "on a file with hash %3; the installed model has changed since). Learn it again from "
                    "your files."
                ),
                ("name", "model", "hash"),
            ),
            "learned_weights_too_large": (
                self.tr("the learned weights are larger than 4 MB; use a lower rank"),
                (),
            ),
            "cannot_write": (self.tr("cannot write %1: %2"), ("where", "why")),
            "cannot_delete": (self.tr("cannot delete %1: %2"), ("where", "why")),
            "not_a_style_file": (self.tr("%1 is not a MuseStudio style file"), where),
            "style_file_too_large": (self.tr("%1 holds files larger than a learned style can be"), where),
            "style_file_unreadable": (self.tr("%1 cannot be read as a style file: %2"), ("where", "why")),
            # its why: zipfile's words (%1: "File is not a zip file", "Bad CRC-32 for file 'style.json'")
            "style_file_not_zip": (
                self.tr("%1", "zipfile's words for a file picked as a style file that is no zip at all"),
                ("words",),
            ),
            "style_file_damaged": (
                self.tr("%1", "zipfile's words for a style file that is a damaged zip (a bad checksum...)"),
                ("words",),
            ),
            "style_file_not_json": (self.tr("%1 is damaged (its settings are not valid JSON)"), where),
            "weights_damaged": (self.tr("%1: the weights are damaged"), where),
            "weights_sizes": (self.tr("%1: the weights are damaged (sizes do not add up)"), where),
            "style_unusable": (self.tr("learned style '%1' cannot be used: %2"), ("name", "why")),
        }

    def _trainer_words(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        return {
            "no_usable_files": (self.tr("no usable MIDI files to learn from (%1)"), ("skipped",)),
            "too_short_to_check": (
                self.tr("the files are too short to keep any bars out for the check: give at least %1 bars"),
                ("bars",),
            ),
            "no_base_models": (
                self.tr("none of the models a style can be learned for is installed (%1)"),
                ("models",),
            ),
            "base_style_not_trained": (
                self.tr("a style can start only from a built-in style the models were trained on: %1"),
                ("styles",),
            ),
            "cannot_save_style": (self.tr("cannot save the style (%1): %2"), ("where", "why")),
        }

    def _midi_words(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        name = ("name",)
        return {
            "midi_empty": (self.tr("%1 is empty"), name),
            "midi_no_header": (self.tr("%1 is not a MIDI file (it does not start with a MIDI header)"), name),
            "midi_type_2": (
                self.tr("%1 is a type-2 MIDI file (separate songs); only types 0 and 1 open"),
                name,
            ),
            "midi_damaged": (self.tr("%1 is damaged or incomplete (%2)"), ("name", "why")),
            "midi_bad_value": (self.tr("%1 is damaged (%2)"), ("name", "why")),
            "midi_no_events": (self.tr("%1 contains no MIDI events"), name),
            "midi_far_apart": (
                self.tr("%1 is damaged or incomplete (its events lie absurdly far apart: %2 hours)"),
                ("name", "hours"),
            ),
            "rmid_empty": (self.tr("%1 is an RMID file with no MIDI data in it"), name),
            "smf_ends_early": (self.tr("it ends too early"), ()),
            "smf_no_header": (self.tr("it does not start with a MIDI header"), ()),
            "smf_short_header": (self.tr("its header is too short"), ()),
            "smf_smpte": (
                self.tr("its SMPTE time division (%1 frames per second) is not one MIDI defines"),
                ("fps",),
            ),
            "smf_zero_division": (self.tr("its time division is zero ticks per beat"), ()),
            "smf_track_cut": (self.tr("it ends too early (a track is cut short)"), ()),
            "smf_event_cut": (self.tr("it ends too early (an event is cut short)"), ()),
            "smf_sysex_cut": (self.tr("it ends too early (a SysEx message is cut short)"), ()),
            "smf_system": (self.tr("it holds a system message (%1) a file may not contain"), ("status",)),
            "smf_no_status": (self.tr("a data byte comes before any status byte"), ()),
            "smf_value_above_127": (self.tr("a MIDI message holds a value above 127"), ()),
            "smf_too_long": (self.tr("a length or time is longer than MIDI allows"), ()),
        }

    def _file_kinds(self) -> dict[str, str]:
        """What an opener expected (``io.files.INPUT_KINDS``)."""
        return {
            "midi_file": self.tr("MIDI file"),
            "project": self.tr("MuseStudio project"),
            "style_file": self.tr("style file"),
        }

    def _input_words(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """What ``io.files.read_input_bytes`` refuses before (or instead of) reading a file."""
        where, special = ("where",), ("where", "kind")
        return {
            "input_folder": (self.tr("%1 is a folder, not a %2"), special),
            "input_pipe": (self.tr("%1 is a pipe (FIFO), not a %2"), special),
            "input_device": (self.tr("%1 is a device, not a %2"), special),
            "input_socket": (self.tr("%1 is a socket, not a %2"), special),
            "input_not_regular": (self.tr("%1 is not a regular file, not a %2"), special),
            "input_too_big": (self.tr("%1 is %2 MB, too big to be a %3"), ("name", "mb", "kind")),
            "input_grew_too_big": (self.tr("%1 is too big to be a %2"), ("name", "kind")),
            "file_not_found": (self.tr("file not found: %1"), where),
            "no_read_permission": (self.tr("no permission to read %1"), where),
            "unusable_file_name": (self.tr("%1 is not a usable file name"), where),
            "cannot_read": (self.tr("cannot read %1: %2"), ("where", "why")),
        }

    def _save_words(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Why a file cannot be saved or exported (``io.files.save_error``)."""
        return {
            "save_unencodable_name": (
                self.tr(
                    "cannot save as %1: the name holds characters that are not valid text; choose another "
                    "name with Save As"
                ),
                ("where",),
            ),
            "save_read_only": (self.tr("cannot save %1: the file is read-only"), ("where",)),
            "cannot_save": (self.tr("cannot save %1: %2"), ("where", "why")),
            "save_half_written": (
                self.tr(
                    "cannot save %1: %2 while it was rewritten in place (it has other names, hard links), so "
                    "it may be half-written; the complete new version is kept beside it as %3"
                ),
                ("where", "why", "kept"),
            ),
        }

    def _os_words(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """The OS's reasons ``io.files.os_reason`` names; any other is the OS's own words after ours for
        "the system refused"."""
        return {
            "os_ENOSPC": (self.tr("the disk is full"), ()),
            "os_EDQUOT": (self.tr("your disk quota is used up"), ()),
            "os_EROFS": (self.tr("the disk is read-only"), ()),
            "os_EACCES": (self.tr("you have no permission to write there"), ()),
            "os_EPERM": (self.tr("you have no permission to write there"), ()),
            "os_ENAMETOOLONG": (self.tr("the name is too long for this disk"), ()),
            "os_ENOENT": (self.tr("the folder does not exist"), ()),
            "os_ENOTDIR": (self.tr("a part of the path is not a folder"), ()),
            "os_EISDIR": (self.tr("a folder has that name"), ()),
            "os_EEXIST": (self.tr("a file has that name"), ()),
            "name_taken_pipe": (self.tr("a pipe (FIFO) has that name"), ()),
            "name_taken_device": (self.tr("a device has that name"), ()),
            "name_taken_socket": (self.tr("a socket has that name"), ()),
            "name_taken_other": (self.tr("something that is not a file has that name"), ()),
            "os_EIO": (self.tr("the disk reported an input/output error"), ()),
            "os_EFBIG": (self.tr("the file is too large for this disk"), ()),
            "os_EMFILE": (self.tr("too many files are open at once"), ()),
            "os_ENFILE": (self.tr("the system has too many files open"), ()),
            "os_ELOOP": (self.tr("the path has too many symbolic links (one may point to itself)"), ()),
            "os_EBUSY": (self.tr("the file or its disk is busy"), ()),
            "os_ETXTBSY": (self.tr("the file is in use by a running program"), ()),
            "os_EXDEV": (self.tr("the file cannot be moved to another disk in one step"), ()),
            "os_ESTALE": (self.tr("the file on the network drive is gone (stale file handle)"), ()),
            "os_read_EACCES": (self.tr("you have no permission to read it"), ()),
            "os_read_EPERM": (self.tr("you have no permission to read it"), ()),
            "os_read_ENOENT": (self.tr("there is no such file"), ()),
            "os_other": (
                self.tr("%1", "the OS's own words for why it refused, where MuseStudio has none"),
                ("words",),
            ),
        }

    def _project_words(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Why a ``.muse`` project or a recovery copy cannot be read (``io.project_file``)."""
        name = ("name",)
        return {
            "project_empty": (self.tr("%1 is empty"), name),
            "project_not_text": (self.tr("%1 is not a MuseStudio project (it is not text)"), name),
            "project_ends_early": (
                self.tr("%1 is not a readable MuseStudio project (it ends too early)"),
                name,
            ),
            "project_damaged_at": (
                self.tr("%1 is not a readable MuseStudio project (it is damaged at line %2, column %3)"),
                ("name", "line", "column"),
            ),
            "project_nested_too_deeply": (
                self.tr("%1 is not a readable MuseStudio project (it is nested too deeply)"),
                name,
            ),
            "project_not_a_number": (
                self.tr("%1 is not a readable MuseStudio project (it contains %2, which is not a number)"),
                ("name", "token"),
            ),
            "project_unreadable": (self.tr("%1 is not a readable MuseStudio project (%2)"), ("name", "why")),
            "not_a_project": (self.tr("%1 is not a MuseStudio project"), name),
            "project_no_version": (self.tr("%1 has no valid format version"), name),
            "project_newer": (
                self.tr("%1 was saved by a newer MuseStudio (format %2); update MuseStudio to open it"),
                ("name", "version"),
            ),
            "project_damaged": (self.tr("%1 is damaged: %2"), ("name", "detail")),
        }

    def _soundfont_words(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Why the synth cannot play with a soundfont (``audio.soundfont``, ``audio.synth``) or render a WAV
        with it (``audio.render``): FluidSynth's own complaint and the OS's stay as they came."""
        where, command = ("where",), ("command",)
        return {
            "soundfont_not_found": (self.tr("soundfont not found: %1"), where),
            "soundfont_folder": (self.tr("%1 is a folder, not a soundfont file"), where),
            "soundfont_not_regular": (
                self.tr("%1 is not a regular file (a pipe or a device), so not a soundfont"),
                where,
            ),
            "soundfont_wrong_suffix": (
                self.tr("%1 is not a soundfont (expected a .sf2 or .sf3 file)"),
                where,
            ),
            "soundfont_unreadable": (self.tr("cannot read the soundfont %1: %2"), ("where", "why")),
            "soundfont_not_loaded": (self.tr("FluidSynth could not load the soundfont %1"), where),
            "soundfont_damaged": (
                self.tr(
                    "the soundfont %1 looks damaged: none of its %2 samples lies inside its sample data, so "
                    "it cannot sound"
                ),
                ("where", "samples"),
            ),
            "soundfont_samples_unreadable": (
                self.tr("the soundfont %1 could not be read (%2)"),
                ("where", "why"),
            ),
            "wav_instruments_missing": (
                self.tr("%1; some instruments would be missing from the WAV"),
                ("why",),
            ),
            # the window's way out, where the command line's is --soundfont
            "no_soundfont": (
                self.tr(
                    "no General MIDI soundfont is installed: choose a .sf2 or .sf3 file under File > "
                    "Preferences > Soundfont, or install one with '%1'"
                ),
                command,
            ),
            "no_fluidsynth": (
                self.tr("cannot load the FluidSynth library (%1); install FluidSynth with '%2'"),
                ("why", "command"),
            ),
            "fluidsynth_cannot_render": (
                self.tr("this FluidSynth library cannot render audio; install FluidSynth with '%1'"),
                command,
            ),
        }

    def _midi_system_words(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Why there is no MIDI system (``midi.ports.MidiUnavailable``) and what to do: the MIDI pickers'
        tooltip, so whole sentences (the commands to type stay as they are)."""
        return {
            "midi_no_library": (
                self.tr(
                    "Cannot load python-rtmidi (%1); install it with 'pip install python-rtmidi' (and the ALSA "
                    "library: 'apt-get install libasound2')"
                ),
                ("why",),
            ),
            "midi_not_built_for": (self.tr("This python-rtmidi was built without %1 support"), ("backend",)),
            "midi_no_sequencer": (
                self.tr(
                    "The ALSA sequencer is not available (%1 is missing): load it with 'modprobe snd-seq', or "
                    "use JACK"
                ),
                ("device",),
            ),
            "midi_no_jack_server": (
                self.tr(
                    "No JACK server is running (server '%1'): start one, e.g. with qjackctl or 'jackd -d alsa', "
                    "or use ALSA"
                ),
                ("server",),
            ),
            "midi_sequencer_refused": (self.tr("The ALSA sequencer refused a connection"), ()),
            # also the reason a port cannot be opened, after "cannot open the MIDI input '%1': "
            "midi_jack_not_answering": (
                self.tr(
                    "the JACK server has not answered a close for %1 s, and nothing can be opened until it does "
                    "(or is restarted)"
                ),
                ("seconds",),
            ),
            "midi_no_system": (
                self.tr(
                    "No MIDI system found: no ALSA sequencer (%1 is missing) and no JACK server running. Start "
                    "JACK (e.g. 'jackd -d alsa' or qjackctl) or load the ALSA sequencer ('modprobe snd-seq')"
                ),
                ("device",),
            ),
            "midi_unknown_backend": (
                self.tr("unknown MIDI backend '%1' (choose from %2)"),
                ("name", "known"),
            ),
        }

    def _midi_port_words(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Why a MIDI port cannot be opened (``midi.ports``: ``midi_`` and the port's direction): the
        backend's own reason stays as it came."""
        missing, refused = ("name", "ports"), ("name", "why")
        return {
            "midi_input_not_found": (self.tr("no MIDI input named '%1' (available: %2)"), missing),
            "midi_output_not_found": (self.tr("no MIDI output named '%1' (available: %2)"), missing),
            "midi_input_cannot_open": (self.tr("cannot open the MIDI input '%1': %2"), refused),
            "midi_output_cannot_open": (self.tr("cannot open the MIDI output '%1': %2"), refused),
        }
