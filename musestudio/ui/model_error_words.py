"""What is wrong inside a damaged or mismatched model file, in the user's language.

``ml.checkpoint_checks`` checks every setting, the weights file's header and the weights themselves, and
says the first thing wrong as the command line's English with a code and its particulars (a
``core.errors.reason``); ``ml.checkpoint`` puts it after the file's name ("model file ... is damaged: %2"),
and ``ErrorWords`` words both from the tables here. What the file itself holds stays as it is: a tensor's
or a setting's name, a value as the file writes it, a shape, a count.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

Templates = dict[str, tuple[str, tuple[str, ...]]]


class ModelErrorWords(QObject):
    """code: (the words, with %1, %2... for the params named after them), for ``ErrorWords``."""

    def templates(self) -> Templates:
        return {
            **self._setting_words(),
            **self._vocabulary_words(),
            **self._header_words(),
            **self._weight_words(),
        }

    def _setting_words(self) -> Templates:
        """The settings (the JSON half's ``config``): each one's type and bounds, and the rules between."""
        value, in_range = ("setting", "value"), ("setting", "value", "low", "high")
        found = ("setting", "value", "found")
        return {
            # the kind of model a file holds where this version knows none by its name (%1: the name found)
            "model_kind_unknown": (self.tr("an unknown kind of model (%1)"), ("family",)),
            "model_config_missing": (self.tr('its model settings ("config") are missing'), ()),
            "model_config_not_table": (
                self.tr('its model settings ("config") are %1, not a table of values'),
                ("value",),
            ),
            "model_setting_unknown": (
                self.tr('it has a setting "%1" this version does not know'),
                ("setting",),
            ),
            "model_setting_missing": (self.tr('the setting "%1" is missing'), ("setting",)),
            "model_setting_not_whole_number": (
                self.tr('the setting "%1" is %2 (%3), not a whole number'),
                found,
            ),
            "model_setting_not_number": (
                self.tr('the setting "%1" is %2 (%3), not a number'),
                found,
            ),
            "model_setting_fraction": (self.tr('the setting "%1" is %2, not a whole number'), value),
            "model_setting_outside": (self.tr('the setting "%1" is %2, outside %3..%4'), in_range),
            # an item of a setting that is a list of whole numbers ("dilations")
            "model_item_not_whole_number": (
                self.tr('an item of "%1" is %2 (%3), not a whole number'),
                found,
            ),
            "model_item_fraction": (self.tr('an item of "%1" is %2, not a whole number'), value),
            "model_item_outside": (self.tr('an item of "%1" is %2, outside %3..%4'), in_range),
            # what a setting holds where a number should be (%3 above)
            "model_found_text": (self.tr("text", "a model setting holds it instead of a number"), ()),
            "model_found_list": (self.tr("a list", "a model setting holds it instead of a number"), ()),
            "model_found_table": (self.tr("a table", "a model setting holds it instead of a number"), ()),
            "model_found_no_number": (
                self.tr("no number", "a model setting holds it instead of a number"),
                (),
            ),
            "model_setting_not_list": (
                self.tr('the setting "%1" is %2, not a list of 1 to %3 items'),
                ("setting", "value", "most"),
            ),
            "model_setting_not_names": (
                self.tr('the setting "%1" is %2, not a list of distinct names'),
                ("setting", "value"),
            ),
            "model_high_not_above_low": (self.tr('"high" (%1) must be above "low" (%2)'), ("high", "low")),
            "model_embd_not_multiple": (
                self.tr('"n_embd" (%1) is not a multiple of "n_head" (%2)'),
                ("n_embd", "n_head"),
            ),
            "model_hidden_too_small": (
                self.tr('"hidden" (%1) must be at least 2 (the encoder uses half of it per direction)'),
                ("hidden",),
            ),
            "model_pad_not_token": (
                self.tr('"pad_id" (%1) is not a token of a vocabulary of %2'),
                ("pad_id", "vocab_size"),
            ),
            "model_order_too_high": (
                self.tr('"order" %1 is too high for a vocabulary of %2'),
                ("order", "vocab_size"),
            ),
            "model_dtype": (self.tr('its weight type "dtype" is %1, not float16 or float32'), ("value",)),
        }

    def _vocabulary_words(self) -> Templates:
        """The vocabulary the JSON half stores, and the one the engines rebuild from it (``ml.tokenizer``)."""
        says = ("settings_say",)
        return {
            "model_vocabulary_not_table": (self.tr("its vocabulary is not a table"), ()),
            "model_vocabulary_not_tokens": (
                self.tr("its vocabulary is %1, not a list of tokens"),
                ("value",),
            ),
            "model_vocabulary_twice": (self.tr("its vocabulary lists a token twice"), ()),
            "model_vocabulary_size": (
                self.tr("its vocabulary has %1 tokens, but the model's settings say %2"),
                ("tokens", *says),
            ),
            "model_styles_not_names": (self.tr("its list of styles is %1, not a list of names"), ("value",)),
            "model_styles_count": (
                self.tr("it lists %1 styles, but the model's settings say %2"),
                ("styles", *says),
            ),
            "model_vocabulary_size_stated": (
                self.tr("its vocabulary size is %1, but the model's settings say %2"),
                ("value", *says),
            ),
            "tokenizer_version": (self.tr("tokenizer version %1 is not %2"), ("version", "expected")),
            "grammar_version": (self.tr("grammar version %1 is not %2"), ("version", "expected")),
            "tokenizer_differs": (self.tr("the stored vocabulary does not match this tokenizer's"), ()),
            "grammar_differs": (self.tr("the stored vocabulary does not match this grammar's"), ()),
        }

    def _header_words(self) -> Templates:
        """The weights file's header: its length, its JSON, and the tensors it lists against the settings."""
        tensors = ("tensors",)
        return {
            "model_weights_too_short": (
                self.tr("it is %1 bytes long, too short to be a weights file"),
                ("size",),
            ),
            "model_header_cut": (self.tr("its header is cut short or is not a weights file's header"), ()),
            "model_header_unreadable": (self.tr("its header is not readable"), ()),
            "model_header_not_table": (self.tr("its header is not a table of tensors"), ()),
            "model_header_entry": (self.tr('the header entry of tensor "%1" is not valid'), ("tensor",)),
            "model_tensors_overlap": (self.tr("its tensors overlap or leave gaps"), ()),
            "model_header_size": (
                self.tr("its header describes %1 bytes of weights, the file holds %2"),
                ("described", "held"),
            ),
            "model_tensor_missing": (self.tr("tensor %1 is missing"), tensors),
            "model_tensors_missing": (self.tr("tensors %1 are missing"), tensors),
            "model_tensor_unexpected": (self.tr("unexpected tensor %1"), tensors),
            "model_tensors_unexpected": (self.tr("unexpected tensors %1"), tensors),
            # the first three tensors' names, quoted, then how many more there are
            "model_tensor_listing_more": (self.tr("%1 and %2 more"), ("names", "more")),
            "model_tensor_dtype": (
                self.tr('tensor "%1" is stored as %2, not as %3'),
                ("tensor", "stored", "wanted"),
            ),
            "model_stored_F16": (self.tr("16-bit numbers (F16)"), ()),
            "model_stored_F32": (self.tr("32-bit numbers (F32)"), ()),
            "model_stored_I64": (self.tr("whole numbers (I64)"), ()),
            "model_table_shape": (self.tr('table "%1" has shape %2, not a single row'), ("table", "shape")),
            "model_tensor_shape": (
                self.tr('tensor "%1" has shape %2, the settings imply %3'),
                ("tensor", "shape", "implied"),
            ),
        }

    def _weight_words(self) -> Templates:
        """The weights themselves, and a Markov model's counts (%1 of those: how many tokens a run holds)."""
        run = ("run",)
        return {
            "model_tensor_not_numbers": (
                self.tr('tensor "%1" holds values that are not numbers (NaN or infinite)'),
                ("tensor",),
            ),
            "model_tensor_weight_too_big": (
                self.tr('tensor "%1" holds a weight of %2, far beyond what training gives (flipped bits?)'),
                ("tensor", "weight"),
            ),
            "model_counts_lengths": (
                self.tr("its counts of %1-token runs have tables of different lengths"),
                run,
            ),
            "model_counts_contexts": (
                self.tr("its counts of %1-token runs do not match their list of contexts"),
                run,
            ),
            "model_counts_order": (self.tr("its counts of %1-token runs are out of order"), run),
            "model_counts_outside": (
                self.tr("its counts of %1-token runs name tokens outside the vocabulary"),
                run,
            ),
            "model_counts_below_one": (self.tr("its counts of %1-token runs hold counts below one"), run),
            "model_counts_totals": (
                self.tr("its counts of %1-token runs do not add up to their totals"),
                run,
            ),
            "model_counts_types": (
                self.tr("its counts of %1-token runs have impossible numbers of different next tokens"),
                run,
            ),
        }
