"""How thoroughly to train: three presets, and Advanced for the people who want the knobs.

Each knob has one plain sentence, the range this model allows, and (where the route lets the
service pick) "Let Azure choose". Values outside the range can be typed, so the reason can be
shown beside the field; :meth:`SettingsPanel.errors` says whether anything blocks training.
The panel is a view of :class:`~tunedesk.core.training_plan.TrainingSettings`: the page sets
limits and settings, and hears back through ``settings_changed``.

Signals:
    settings_changed(object): the person changed a preset or a value (the new settings).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tunedesk.core import training_plan as plan
from tunedesk.core.training_plan import Limits, Preset, TrainingSettings

PRESETS = (Preset.QUICK, Preset.BALANCED, Preset.THOROUGH)


def _fmt(value: float) -> str:
    return f"{value:g}"


class _Field(QWidget):
    """One knob: editor, optional 'Let Azure choose', the range, help and the error."""

    def __init__(self, editor: QWidget, *, auto: bool) -> None:
        super().__init__()
        self.editor = editor
        self.auto = QCheckBox() if auto else None
        self.range = QLabel()
        self.range.setObjectName("hint")
        self.help = QLabel()
        self.help.setObjectName("hint")
        self.help.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(editor)
        if self.auto is not None:
            row.addWidget(self.auto)
        row.addWidget(self.range)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.help)
        layout.addWidget(self.error)

    def set_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def chosen_by_azure(self) -> bool:
        return self.auto is not None and self.auto.isChecked()


class SettingsPanel(QWidget):
    """Presets plus Advanced (batch size, learning-rate multiplier, epochs, seed, suffix,
    training type), all validated against the chosen model's limits."""

    settings_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._limits: Limits | None = None
        self._settings = TrainingSettings()
        self._loading = False
        self._seed_invalid = False

        self.preset_group = QButtonGroup(self)
        self.preset_buttons: dict[Preset, QRadioButton] = {}
        self.preset_sentences: dict[Preset, QLabel] = {}
        presets = QVBoxLayout()
        presets.setSpacing(2)
        for preset in PRESETS:
            button = QRadioButton()
            button.setObjectName(f"preset_{preset.value}")
            sentence = QLabel()
            sentence.setObjectName("hint")
            sentence.setWordWrap(True)
            sentence.setContentsMargins(24, 0, 0, 6)
            self.preset_group.addButton(button)
            self.preset_buttons[preset] = button
            self.preset_sentences[preset] = sentence
            button.toggled.connect(lambda on, p=preset: self._on_preset(p) if on else None)
            presets.addWidget(button)
            presets.addWidget(sentence)
        self.custom_note = QLabel()
        self.custom_note.setObjectName("hint")
        self.custom_note.setWordWrap(True)
        presets.addWidget(self.custom_note)

        self.advanced_toggle = QToolButton()
        self.advanced_toggle.setCheckable(True)
        self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_toggle.setAutoRaise(True)
        self.advanced_toggle.toggled.connect(self._on_advanced_toggled)

        self.training_type = QComboBox()
        self.training_type.currentIndexChanged.connect(self._on_edited)
        self.batch_size = QSpinBox()
        self.batch_size.setRange(0, 1024)
        self.learning_rate = QDoubleSpinBox()
        self.learning_rate.setDecimals(3)
        self.learning_rate.setRange(0.0, 100.0)
        self.learning_rate.setSingleStep(0.01)
        self.epochs = QSpinBox()
        self.epochs.setRange(0, 100)
        self.seed = QLineEdit()
        self.seed.setMaximumWidth(160)
        self.suffix = QLineEdit()
        self.suffix.setMaximumWidth(320)
        for spin in (self.batch_size, self.learning_rate, self.epochs):
            spin.setMinimumWidth(110)
            spin.setKeyboardTracking(True)
            spin.valueChanged.connect(self._on_edited)
        self.seed.textEdited.connect(self._on_edited)
        self.suffix.textEdited.connect(self._on_edited)

        self.fields: dict[str, _Field] = {
            "training_type": _Field(self.training_type, auto=False),
            "batch_size": _Field(self.batch_size, auto=True),
            "learning_rate_multiplier": _Field(self.learning_rate, auto=True),
            "epochs": _Field(self.epochs, auto=True),
            "seed": _Field(self.seed, auto=False),
            "suffix": _Field(self.suffix, auto=False),
        }
        for name, f in self.fields.items():
            if f.auto is not None:
                f.auto.toggled.connect(lambda on, n=name: self._on_auto_toggled(n, on))
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.labels: dict[str, QLabel] = {}
        for name, f in self.fields.items():
            label = QLabel()
            label.setBuddy(f.editor)
            self.labels[name] = label
            self.form.addRow(label, f)
        self.advanced = QFrame()
        self.advanced.setObjectName("advancedBox")
        self.advanced.setLayout(self.form)
        self.advanced.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(presets)
        layout.addWidget(self.advanced_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.advanced)
        self.retranslate()

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        for preset in PRESETS:
            self.preset_buttons[preset].setText(str(plan.preset_title(preset)))
            self.preset_sentences[preset].setText(str(plan.preset_sentence(preset)))
        self.custom_note.setText(
            self.tr("Your own values (Advanced) are used instead of a preset.")
        )
        self.advanced_toggle.setText(self.tr("Advanced settings"))
        names = {
            "training_type": self.tr("Training type:"),
            "batch_size": self.tr("Batch size:"),
            "learning_rate_multiplier": self.tr("Learning-rate multiplier:"),
            "epochs": self.tr("Epochs:"),
            "seed": self.tr("Seed:"),
            "suffix": self.tr("Name suffix:"),
        }
        for name, label in self.labels.items():
            label.setText(names[name])
            self.fields[name].help.setText(str(plan.field_help(name)))
            auto = self.fields[name].auto
            if auto is not None:
                auto.setText(self.tr("Let Azure choose"))
        self.seed.setPlaceholderText(self.tr("Random"))
        self.suffix.setPlaceholderText(self.tr("e.g. family-faq"))
        self._fill_training_types()
        self._show_ranges()
        self._show_errors()

    # ------------------------------------------------------------------ state in
    def set_limits(self, limits: Limits | None) -> None:
        self._limits = limits
        self._loading = True
        try:
            self._fill_training_types()
            self._show_ranges()
        finally:
            self._loading = False
        self.set_settings(self._settings)

    def set_settings(self, settings: TrainingSettings) -> None:
        """Show ``settings`` (does not emit ``settings_changed``)."""
        self._settings = settings
        self._loading = True
        try:
            for preset, button in self.preset_buttons.items():
                button.setChecked(settings.preset == preset)
            if settings.preset == Preset.CUSTOM:
                checked = self.preset_group.checkedButton()
                if checked is not None:
                    self.preset_group.setExclusive(False)
                    checked.setChecked(False)
                    self.preset_group.setExclusive(True)
            self.custom_note.setVisible(settings.preset == Preset.CUSTOM)
            limits = self._limits
            self._set_number(
                "batch_size", settings.batch_size, limits.batch_size.low if limits else 1
            )
            self._set_number(
                "learning_rate_multiplier",
                settings.learning_rate_multiplier,
                limits.learning_rate_multiplier.recommended_low or 0.1 if limits else 0.1,
            )
            self._set_number("epochs", settings.epochs, 3)
            if not self._seed_invalid:
                self.seed.setText("" if settings.seed is None else str(settings.seed))
            self.suffix.setText(settings.suffix)
            index = self.training_type.findData(settings.training_type)
            if index >= 0:
                self.training_type.setCurrentIndex(index)
            self._show_training_type_help()
        finally:
            self._loading = False
        self._show_errors()

    def settings(self) -> TrainingSettings:
        return self._settings

    def errors(self) -> dict[str, str]:
        if self._limits is None:
            return {}
        errors = {k: str(v) for k, v in plan.validate(self._settings, self._limits).items()}
        if self._seed_invalid:
            errors["seed"] = self.tr("Enter a whole number, or leave it empty for a random seed.")
        return errors

    # ------------------------------------------------------------------ helpers
    def _set_number(self, name: str, value: float | None, fallback: float) -> None:
        f = self.fields[name]
        editor = f.editor
        assert isinstance(editor, QSpinBox | QDoubleSpinBox)
        azure = value is None and self._limits is not None and self._limits.azure_chooses
        if f.auto is not None:
            f.auto.setChecked(azure)
            f.auto.setVisible(self._limits is None or self._limits.azure_chooses)
        editor.setEnabled(not azure)
        shown = fallback if value is None else value
        if isinstance(editor, QSpinBox):
            editor.setValue(int(shown))
        else:
            editor.setValue(float(shown))

    def _fill_training_types(self) -> None:
        current = self.training_type.currentData()
        blocked = self.training_type.blockSignals(True)
        try:
            self.training_type.clear()
            types = self._limits.training_types if self._limits is not None else ()
            for kind in types:
                self.training_type.addItem(str(plan.training_type_name(kind)), kind)
            index = self.training_type.findData(current)
            if index < 0 and self._limits is not None:
                index = self.training_type.findData(self._limits.default_training_type)
            self.training_type.setCurrentIndex(max(index, 0))
        finally:
            self.training_type.blockSignals(blocked)
        route_has_types = bool(self._limits is not None and self._limits.training_types)
        self._show_row("training_type", route_has_types)
        self._show_training_type_help()

    def _show_training_type_help(self) -> None:
        kind = self.training_type.currentData()
        f = self.fields["training_type"]
        if kind:
            f.help.setText(
                str(plan.field_help("training_type")) + " " + str(plan.training_type_sentence(kind))
            )

    def _show_row(self, name: str, visible: bool) -> None:
        self.fields[name].setVisible(visible)
        self.labels[name].setVisible(visible)

    def _show_ranges(self) -> None:
        limits = self._limits
        if limits is None:
            return
        b, lr, e = limits.batch_size, limits.learning_rate_multiplier, limits.epochs
        self.fields["batch_size"].range.setText(
            self.tr("{low}–{high}").format(low=b.low, high=b.high)
        )
        text = self.tr("{low}–{high}").format(low=_fmt(lr.low), high=_fmt(lr.high))
        if lr.recommended_low is not None and lr.recommended_high is not None:
            text = self.tr("{range}, recommended {low}–{high}").format(
                range=text, low=_fmt(lr.recommended_low), high=_fmt(lr.recommended_high)
            )
        self.fields["learning_rate_multiplier"].range.setText(text)
        self.fields["epochs"].range.setText(self.tr("{low}–{high}").format(low=e.low, high=e.high))
        self._show_row("seed", limits.seed)
        self._show_row("suffix", limits.suffix_max > 0)
        if limits.suffix_max > 0:
            self.fields["suffix"].range.setText(
                self.tr("up to {count} characters").format(count=limits.suffix_max)
            )

    def _show_errors(self) -> None:
        errors = self.errors()
        for name, f in self.fields.items():
            f.set_error(errors.get(name, ""))
        if errors and not self.advanced_toggle.isChecked():
            self.advanced_toggle.setChecked(True)  # a reason is never hidden

    # ------------------------------------------------------------------ edits
    def _on_advanced_toggled(self, on: bool) -> None:
        self.advanced.setVisible(on)
        self.advanced_toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)

    def _on_preset(self, preset: Preset) -> None:
        if self._loading or self._limits is None:
            return
        current = self._settings
        chosen = plan.preset_settings(preset, self._limits, self._examples)
        # A preset sets the three knobs; what it does not decide stays as the person set it.
        self._emit(
            replace(
                chosen,
                seed=current.seed,
                suffix=current.suffix,
                training_type=current.training_type or chosen.training_type,
            )
        )

    def _on_auto_toggled(self, name: str, on: bool) -> None:
        self.fields[name].editor.setEnabled(not on)
        self._on_edited()

    def _on_edited(self, *_args: Any) -> None:
        if self._loading:
            return
        seed_text = self.seed.text().strip()
        seed: int | None = None
        self._seed_invalid = False
        if seed_text:
            try:
                seed = int(seed_text)
            except ValueError:
                self._seed_invalid = True  # said beside the field; training is blocked
        changed = replace(
            self._settings,
            preset=Preset.CUSTOM,
            batch_size=None
            if self.fields["batch_size"].chosen_by_azure()
            else self.batch_size.value(),
            learning_rate_multiplier=(
                None
                if self.fields["learning_rate_multiplier"].chosen_by_azure()
                else round(self.learning_rate.value(), 6)
            ),
            epochs=None if self.fields["epochs"].chosen_by_azure() else self.epochs.value(),
            seed=seed,
            suffix=self.suffix.text().strip(),
            training_type=self.training_type.currentData(),
        )
        self._emit(changed)

    def _emit(self, settings: TrainingSettings) -> None:
        self.set_settings(settings)
        self.settings_changed.emit(settings)

    # The page tells the panel how many examples there are (presets scale with it).
    _examples = 0

    def set_examples(self, count: int) -> None:
        self._examples = count
