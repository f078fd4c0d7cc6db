"""What a Generate refuses, and why a model file cannot be used, in the user's language.

The engines (``ml.generate.request_errors``, the tokenizer and the piano roll) refuse a request, and
``ml.checkpoint`` a model file, with the command line's English and a code with its params, as the other
Qt-free layers do; ``ErrorWords`` words them from the table here. What is wrong inside a damaged file (a
tensor of NaNs, a setting out of bounds) is worded in ``model_error_words``, where the file's own names and
numbers stay as they came.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject

Templates = dict[str, tuple[str, tuple[str, ...]]]

# the kinds of model ``ml.checkpoint_checks.SCHEMAS`` names a model file's family by
MODEL_KINDS = (
    QT_TRANSLATE_NOOP("ModelKinds", "transformer"),
    QT_TRANSLATE_NOOP("ModelKinds", "seq2seq model"),
    QT_TRANSLATE_NOOP("ModelKinds", "Markov model"),
    QT_TRANSLATE_NOOP("ModelKinds", "Restyle GAN generator"),
    QT_TRANSLATE_NOOP("ModelKinds", "Restyle GAN generator (adversarial denoiser)"),
    QT_TRANSLATE_NOOP("ModelKinds", "Restyle GAN critic"),
    QT_TRANSLATE_NOOP("ModelKinds", "style classifier"),
    QT_TRANSLATE_NOOP("ModelKinds", "multi-part model"),
)
KIND_PARAMS = ("found_kind", "wanted_kind", "model_kind")  # the params that name a kind of model


def model_kind(words: str) -> str:
    """A kind of model as the user's language says it: "a transformer" (the kind with its article, as the
    English sentence holds it) is the kind alone in a language without articles. A kind this version does
    not know (another program's file) stays as it came."""
    if words in MODEL_KINDS:
        return QCoreApplication.translate("ModelKinds", words)
    article, _, kind = words.partition(" ")
    if article in ("a", "an") and kind in MODEL_KINDS:
        said = QCoreApplication.translate("ModelKinds", kind)
        return words if said == kind else said
    return words


class GenerateErrorWords(QObject):
    """code: (the words, with %1, %2... for the params named after them), for ``ErrorWords``."""

    def templates(self) -> Templates:
        return {**self._request_words(), **self._model_file_words(), **self._left_out_words()}

    def _request_words(self) -> Templates:
        """What the engines refuse of a request (``ml.generate.request_errors``, the meters), and the end of
        the process a Generate ran in (``ml.generate.process``)."""
        return {
            "meter_unreadable": (
                self.tr(
                    "the models cannot read %1/%2 bars (they read 1/1-4/1, 1/2-8/2, and up to 16 beats of "
                    "quarters, eighths or sixteenths): change the meter of those bars and try again"
                ),
                ("numerator", "denominator"),
            ),
            "meter_off_the_roll": (
                self.tr(
                    "the models cannot read %1 bars: a bar line falls between the sixteenths they read; change "
                    "the meter of those bars and try again"
                ),
                ("meter",),
            ),
            "bars_off_the_roll": (
                self.tr(
                    "the models cannot read bars: a bar line falls between the sixteenths they read; change the "
                    "meter of those bars and try again"
                ),
                (),
            ),
            "bars_out_of_range": (self.tr("bars must be 1..%1, got %2"), ("most", "bars")),
            "unknown_style": (self.tr("unknown style '%1'; choose one of %2"), ("style", "known")),
            "unknown_style_among": (self.tr("unknown style '%1' (known: %2)"), ("style", "known")),
            "style_not_trained": (
                self.tr("the %1 model was not trained on the %2 style (%3)"),
                ("engine", "style", "trained"),
            ),
            "key_lock_needs_key_seed": (
                self.tr("key lock needs a key: pick one, or give a seed to detect it from"),
                (),
            ),
            "key_lock_needs_key_context": (
                self.tr("key lock needs a key: pick one, or leave some notes around the range"),
                (),
            ),
            "key_lock_needs_key_notes": (
                self.tr("key lock needs a key: pick one, or give notes to detect it from"),
                (),
            ),
            "generation_process_ended": (
                self.tr("The generation process has ended; Generate again to run it in the app itself."),
                (),
            ),
            "no_pitch_in_key": (
                self.tr("no pitch in %1..%2 is in %3; widen the range or turn key lock off"),
                ("lo", "hi", "key"),
            ),
        }

    def _model_file_words(self) -> Templates:
        """Why a model file cannot be used (``ml.checkpoint``, ``ml.checkpoint_checks``, ``ml.engines``)."""
        where, why = ("where",), ("where", "why")
        return {
            "model_missing_install": (
                self.tr(
                    "The model file %1 is missing. Install or train it (see models/README.md) to use this engine."
                ),
                where,
            ),
            "model_missing": (self.tr("model file %1 is missing"), where),
            "model_not_regular_file": (self.tr("model file %1 is not a regular file"), where),
            "model_settings_too_large": (
                self.tr("model file %1 is too large to be a model's settings file"),
                where,
            ),
            "model_unreadable": (self.tr("model file %1 cannot be read: %2"), why),
            "model_not_json": (
                self.tr("model file %1 cannot be read: it is damaged (not valid JSON at line %2)"),
                ("where", "line"),
            ),
            "model_not_text": (self.tr("model file %1 cannot be read: it is damaged (not text)"), where),
            "not_a_model_file": (self.tr("%1 is not a MuseStudio model file"), where),
            "model_format_version": (
                self.tr("%1 has format version %2, expected %3"),
                ("where", "version", "expected"),
            ),
            "model_damaged": (self.tr("model file %1 is damaged: %2"), why),
            # its why where safetensors could not load the weights (%1: its own words)
            "model_weights_unloadable": (
                self.tr("%1", "safetensors' words for a weights file it cannot load"),
                ("words",),
            ),
            "model_unlike_settings": (self.tr("model file %1 does not match its settings: %2"), why),
            "model_does_not_fit": (
                self.tr("model file %1 does not fit this version's %2: %3"),
                ("where", "model_kind", "why"),
            ),
            "model_other_kind": (
                self.tr("model file %1 holds %2, not the %3 expected here"),
                ("where", "found_kind", "wanted_kind"),
            ),
            "model_unknown_kind": (
                self.tr("model file %1 holds %2; known kinds: %3"),
                ("where", "found_kind", "known"),
            ),
            "model_too_large": (
                self.tr(
                    "model file %1 describes a model of %2 million weights, more than this version loads (%3 million)"
                ),
                ("where", "millions", "most"),
            ),
            "model_config_does_not_fit": (
                self.tr("%1 does not fit this version's %2 model: %3"),
                ("where", "family", "why"),
            ),
            "model_unlike_config": (self.tr("%1 does not match its config: %2"), why),
            "model_other_vocabulary": (
                self.tr(
                    "model file %1 holds a model with another vocabulary, not the one expected here (%2)"
                ),
                why,
            ),
        }

    def _left_out_words(self) -> Templates:
        """A judge of the takes left out for a damaged model file (``ml.generate.critic``, the taste's)."""
        return {
            "judge_left_out": (self.tr("%1; takes are ranked without it"), ("error",)),
            "taste_left_out": (self.tr("%1; taste goes by the takes' statistics alone"), ("error",)),
        }
