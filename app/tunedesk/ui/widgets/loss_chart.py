"""The Train page's live loss chart: training and validation loss per step, accuracy where
Azure reports it, and under it one plain sentence from ``tunedesk.core.learning_curve``.

A QtCharts ``QChart`` in a ``QChartView``: training loss as a line, validation loss (sparse,
every so often) as a line with its points marked, accuracy (0-100 %) as dashed lines on a
second axis on the right, only when some accuracy was reported and "Show accuracy" is on.
Hovering shows the step under the mouse and its values. With no points the plot area says
"The chart fills in as Azure reports each step." Colours follow the palette (light and
dark); fonts follow the widget's, so Chinese renders with the system's CJK font.

Thousands of points stay quick: each series is filled with one ``replace()`` of a list of
``QPointF`` (``append`` redraws the whole series once per point: 100 new points on 10,000
took 2 s). When ``set_points`` is called again with the same points plus new ones, as
polling does, only the new ones are converted, and a series with nothing new is left as
it is.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence

from PySide6.QtCharts import QChart, QChartView, QLegend, QLineSeries, QValueAxis
from PySide6.QtCore import QEvent, QMargins, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QToolTip, QVBoxLayout, QWidget

from tunedesk.core.learning_curve import (
    METRICS,
    CurvePointLike,
    Metric,
    Reading,
    metric_values,
    read_curve,
)
from tunedesk.ui.widgets.inline_message import InlineMessage, Tone

_TONES = {"good": Tone.SUCCESS, "warning": Tone.WARNING, "info": Tone.INFO}
# Line colours for a light and a dark background (Google's palette, as InlineMessage uses):
# loss blue (training) and orange (validation), accuracy green and purple, dashed. Every
# pair differs in lightness too, for people who tell red from green poorly.
_COLOURS: dict[Metric, tuple[str, str]] = {
    "train_loss": ("#1a73e8", "#8ab4f8"),
    "valid_loss": ("#e37400", "#fcad70"),
    "train_accuracy": ("#188038", "#81c995"),
    "valid_accuracy": ("#9334e6", "#d7aefb"),
}
_ACCURACY: tuple[Metric, ...] = ("train_accuracy", "valid_accuracy")
_HOVER_SNAP_PX = 10  # a validation point this close to the mouse wins over the nearest step


def nice_interval(span: float, ticks: int = 5) -> float:
    """The tick interval of 1, 2 or 5 times a power of ten closest to ``span / ticks``."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    return min(
        (factor * power for factor in (1, 2, 5, 10)),
        key=lambda step: abs(math.log(step / raw)),
    )


class _ChartView(QChartView):
    """The chart with an empty-state text in its plot area and a hover cursor."""

    def __init__(self, owner: LossChart, chart: QChart) -> None:
        super().__init__(chart)
        self._owner = owner
        self.empty_text = ""
        self.hover_step: int | None = None
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)

    def plot_rect(self) -> QRectF:
        """The plot area in viewport coordinates."""
        chart = self.chart()
        area = chart.mapToScene(chart.plotArea()).boundingRect()
        return self.mapFromScene(area).boundingRect().toRectF()

    def paintEvent(self, event: QPaintEvent) -> None:  # reimplements QWidget::paintEvent
        super().paintEvent(event)
        if not self.empty_text and self.hover_step is None:
            return
        painter = QPainter(self.viewport())
        rect = self.plot_rect()
        palette = self.palette()
        if self.empty_text:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            font = QFont(self.font())
            font.setPointSizeF(font.pointSizeF() * 1.15)
            painter.setFont(font)
            painter.drawText(
                rect.adjusted(24, 0, -24, 0),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.empty_text,
            )
        elif self.hover_step is not None:
            x = self.chart().mapToPosition(QPointF(self.hover_step, 0), self._owner.loss_series)
            pos = self.mapFromScene(self.chart().mapToScene(x)).x()
            colour = QColor(palette.color(QPalette.ColorRole.WindowText))
            colour.setAlpha(140)
            pen = QPen(colour)
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(pos, rect.top()), QPointF(pos, rect.bottom()))
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # reimplements QWidget::mouseMoveEvent
        super().mouseMoveEvent(event)
        self._owner._on_view_hovered(event.position().toPoint())

    def leaveEvent(self, event: QEvent) -> None:  # reimplements QWidget::leaveEvent
        super().leaveEvent(event)
        self._owner._on_view_hovered(None)


class LossChart(QWidget):
    """Loss (and accuracy) per step of one fine-tuning run, with a plain reading under it.

    ``set_points`` takes Azure's metrics as they arrive (objects with ``step``,
    ``train_loss``, ``valid_loss``, ``train_accuracy``, ``valid_accuracy``, like
    ``cloud.routes.base.MetricPoint``; accuracies are fractions 0-1); ``set_total_steps``
    makes the x axis span the whole run while it fills; ``set_finished`` turns the reading
    into the run's summary; ``clear`` empties it; ``retranslate`` after a language switch.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._points: list[CurvePointLike] = []
        self._data: dict[Metric, list[tuple[int, float]]] = {m: [] for m in METRICS}
        self._qpoints: dict[Metric, list[QPointF]] = {m: [] for m in METRICS}
        self._steps: list[int] = []  # every step with a value, for hovering
        self._total_steps: int | None = None
        self._finished = False
        self._reading: Reading | None = None

        chart = QChart()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(0)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        chart.legend().setMarkerShape(QLegend.MarkerShape.MarkerShapeFromSeries)
        self._chart = chart
        self._series: dict[Metric, QLineSeries] = {}
        for metric in METRICS:
            series = QLineSeries()
            if metric == "valid_loss" or metric == "valid_accuracy":
                series.setPointsVisible(True)
                series.setMarkerSize(3.5)  # the radius: 7 px points
            chart.addSeries(series)
            self._series[metric] = series

        self._x_axis = QValueAxis()
        self._x_axis.setLabelFormat("%d")
        self._x_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        self._x_axis.setTickAnchor(0)
        self._loss_axis = QValueAxis()
        self._loss_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        self._loss_axis.setTickAnchor(0)
        self._accuracy_axis = QValueAxis()
        self._accuracy_axis.setRange(0, 100)
        self._accuracy_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        self._accuracy_axis.setTickAnchor(0)
        self._accuracy_axis.setTickInterval(20)
        self._accuracy_axis.setLabelFormat("%d %%")
        self._accuracy_axis.setGridLineVisible(False)
        chart.addAxis(self._x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self._loss_axis, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(self._accuracy_axis, Qt.AlignmentFlag.AlignRight)
        for metric, series in self._series.items():
            series.attachAxis(self._x_axis)
            series.attachAxis(self._accuracy_axis if metric in _ACCURACY else self._loss_axis)

        self._view = _ChartView(self, chart)
        self._view.setMinimumHeight(220)
        self._show_accuracy = QCheckBox()
        self._show_accuracy.setChecked(True)
        self._show_accuracy.toggled.connect(self._on_show_accuracy_toggled)
        self._message = InlineMessage()

        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self._message, 1)
        bottom.addWidget(self._show_accuracy, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self._view, 1)
        layout.addLayout(bottom)

        self._apply_style()
        self.retranslate()
        self._update_all()

    # ---------------------------------------------------------------- public API

    def set_points(self, points: Sequence[CurvePointLike]) -> None:
        """Show these metrics (all of the run so far). Points already shown are not
        converted again; a series with no new points is not touched."""
        self._points = list(points)
        for metric in METRICS:
            new = metric_values(self._points, metric)
            old = self._data[metric]
            if new == old:
                continue
            scale = 100.0 if metric in _ACCURACY else 1.0
            qpoints = self._qpoints[metric]
            if len(new) > len(old) and new[: len(old)] == old:
                qpoints.extend(QPointF(s, v * scale) for s, v in new[len(old) :])
            else:
                qpoints[:] = [QPointF(s, v * scale) for s, v in new]
            self._series[metric].replace(qpoints)
            self._data[metric] = new
        self._steps = sorted({s for metric in METRICS for s, _v in self._data[metric]})
        self._update_all()

    def set_total_steps(self, total: int | None) -> None:
        """The run's planned number of steps (the x axis shows all of them), or None."""
        self._total_steps = total if total and total > 0 else None
        self._update_axes()

    def set_finished(self, finished: bool) -> None:
        """A finished run's reading sums it up (final validation loss) instead."""
        self._finished = finished
        self._update_reading()

    def clear(self) -> None:
        """No points, no total, not finished: the empty state."""
        self._points = []
        self._total_steps = None
        self._finished = False
        for metric in METRICS:
            self._data[metric] = []
            self._qpoints[metric] = []
            self._series[metric].clear()
        self._steps = []
        self._update_all()

    def retranslate(self) -> None:
        names: dict[Metric, str] = {
            "train_loss": self.tr("Training loss"),
            "valid_loss": self.tr("Validation loss"),
            "train_accuracy": self.tr("Training accuracy"),
            "valid_accuracy": self.tr("Validation accuracy"),
        }
        for metric, series in self._series.items():
            series.setName(names[metric])
        self._x_axis.setTitleText(self.tr("Step"))
        self._loss_axis.setTitleText(self.tr("Loss"))
        self._accuracy_axis.setTitleText(self.tr("Accuracy"))
        self._show_accuracy.setText(self.tr("Show accuracy"))
        self._show_accuracy.setToolTip(
            self.tr("Accuracy: the share of the answers' words the model predicted exactly.")
        )
        self._update_empty_state()
        self._update_reading()

    # ---------------------------------------------------------------- for the page and tests

    @property
    def chart(self) -> QChart:
        return self._chart

    @property
    def chart_view(self) -> QChartView:
        return self._view

    @property
    def series(self) -> dict[Metric, QLineSeries]:
        return dict(self._series)

    @property
    def loss_series(self) -> QLineSeries:
        return self._series["train_loss"]

    @property
    def x_axis(self) -> QValueAxis:
        return self._x_axis

    @property
    def loss_axis(self) -> QValueAxis:
        return self._loss_axis

    @property
    def accuracy_axis(self) -> QValueAxis:
        return self._accuracy_axis

    @property
    def show_accuracy_box(self) -> QCheckBox:
        return self._show_accuracy

    @property
    def reading(self) -> Reading | None:
        return self._reading

    @property
    def reading_message(self) -> InlineMessage:
        return self._message

    @property
    def empty_text(self) -> str:
        """The text drawn in the plot area, "" when there are points."""
        return self._view.empty_text

    def has_accuracy(self) -> bool:
        return any(self._data[m] for m in _ACCURACY)

    def hover_text(self, step: int) -> str:
        """What hovering over ``step`` shows: the step and each value reported for it."""
        lines = [self.tr("Step {step}").format(step=step)]
        labels: dict[Metric, str] = {
            "train_loss": self.tr("Training loss: {value}"),
            "valid_loss": self.tr("Validation loss: {value}"),
            "train_accuracy": self.tr("Training accuracy: {value} %"),
            "valid_accuracy": self.tr("Validation accuracy: {value} %"),
        }
        for metric in METRICS:
            if metric in _ACCURACY and not self._accuracy_shown():
                continue
            value = self._value_at(metric, step)
            if value is not None:
                text = f"{value * 100:.1f}" if metric in _ACCURACY else f"{value:.4g}"
                lines.append(labels[metric].format(value=text))
        return "\n".join(lines)

    def step_at(self, pos: QPoint) -> int | None:
        """The step hovering at ``pos`` (viewport coordinates) shows, or None outside the
        plot area or with no points: the nearest reported step, or a validation point
        within a few pixels (they are sparse, so they would be hard to hit otherwise)."""
        if not self._view.plot_rect().contains(QPointF(pos)):
            return None
        steps = self._steps
        if not steps:
            return None
        scene = self._view.mapToScene(pos)
        x = self._chart.mapToValue(self._chart.mapFromScene(scene), self.loss_series).x()
        valid = [s for s, _v in self._data["valid_loss"]]
        if valid:
            near = _nearest(valid, x)
            if abs(self._x_pixel(near) - pos.x()) <= _HOVER_SNAP_PX:
                return near
        return _nearest(steps, x)

    # ---------------------------------------------------------------- reactions

    def changeEvent(self, event: QEvent) -> None:  # reimplements QWidget::changeEvent
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._apply_style()

    def _on_show_accuracy_toggled(self, _checked: bool) -> None:
        self._update_accuracy()

    def _on_view_hovered(self, pos: QPoint | None) -> None:
        step = None if pos is None else self.step_at(pos)
        if step != self._view.hover_step:
            self._view.hover_step = step
            self._view.viewport().update()
        if step is None or pos is None:
            QToolTip.hideText()
            return
        QToolTip.showText(self._view.viewport().mapToGlobal(pos), self.hover_text(step), self)

    # ---------------------------------------------------------------- internals

    def _accuracy_shown(self) -> bool:
        return self.has_accuracy() and self._show_accuracy.isChecked()

    def _value_at(self, metric: Metric, step: int) -> float | None:
        data = self._data[metric]
        i = bisect.bisect_left(data, (step, -math.inf))
        return data[i][1] if i < len(data) and data[i][0] == step else None

    def _x_pixel(self, step: int) -> float:
        point = self._chart.mapToPosition(QPointF(step, 0), self.loss_series)
        return self._view.mapFromScene(self._chart.mapToScene(point)).x()

    def _update_all(self) -> None:
        self._update_accuracy()
        self._update_axes()
        self._update_empty_state()
        self._update_reading()

    def _update_accuracy(self) -> None:
        shown = self._accuracy_shown()
        self._show_accuracy.setVisible(self.has_accuracy())
        self._accuracy_axis.setVisible(shown)
        for metric in _ACCURACY:
            self._series[metric].setVisible(shown and bool(self._data[metric]))
        for metric in ("train_loss", "valid_loss"):
            # a series with no points has no place in the legend ("Validation loss" on a
            # run without validation rows would promise a line that never comes)
            self._series[metric].setVisible(bool(self._data[metric]) or not self._points)
        self._hide_empty_legend_entries()

    def _hide_empty_legend_entries(self) -> None:
        legend = self._chart.legend()
        for metric, series in self._series.items():
            for marker in legend.markers(series):
                marker.setVisible(series.isVisible() and bool(self._data[metric]))
        legend.setVisible(any(self._data[m] for m in METRICS))

    def _update_axes(self) -> None:
        last = max((data[-1][0] for data in self._data.values() if data), default=0)
        end: float = max(last, self._total_steps or 0, 10)
        interval = nice_interval(end)
        if self._total_steps is None or last > self._total_steps:
            end = math.ceil(end / interval) * interval
        self._x_axis.setTickInterval(interval)
        self._x_axis.setRange(0, end)
        self._x_axis.setMinorTickCount(0)

        losses = [v for m in ("train_loss", "valid_loss") for _s, v in self._data[m]]
        top = max(losses, default=1.0) or 1.0
        loss_interval = nice_interval(top, 4)
        self._loss_axis.setRange(0, math.ceil(top * 1.02 / loss_interval) * loss_interval)
        self._loss_axis.setTickInterval(loss_interval)
        decimals = max(0, -math.floor(math.log10(loss_interval)))
        self._loss_axis.setLabelFormat(f"%.{decimals}f")

    def _update_empty_state(self) -> None:
        empty = not any(self._data[m] for m in METRICS)
        self._view.empty_text = (
            self.tr("The chart fills in as Azure reports each step.") if empty else ""
        )
        # numbers on empty axes would read as values ("a loss of 1.2?")
        self._x_axis.setLabelsVisible(not empty)
        self._loss_axis.setLabelsVisible(not empty)
        self._view.viewport().update()

    def _update_reading(self) -> None:
        self._reading = read_curve(self._points, finished=self._finished)
        if self._reading is None:
            self._message.clear()
        else:
            self._message.show_message(str(self._reading.text), tone=_TONES[self._reading.tone])

    def _apply_style(self) -> None:
        palette = self.palette()
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        text = palette.color(QPalette.ColorRole.WindowText)
        grid = QColor(palette.color(QPalette.ColorRole.Mid))
        grid.setAlpha(110)
        self._chart.setBackgroundBrush(palette.color(QPalette.ColorRole.Base))
        self._chart.setBackgroundPen(QPen(palette.color(QPalette.ColorRole.Mid)))
        self._chart.setPlotAreaBackgroundVisible(False)
        font = QFont(self.font())
        title_font = QFont(font)
        title_font.setBold(True)
        for axis in (self._x_axis, self._loss_axis, self._accuracy_axis):
            axis.setLabelsFont(font)
            axis.setLabelsColor(text)
            axis.setTitleFont(title_font)
            axis.setTitleBrush(text)
            axis.setLinePenColor(palette.color(QPalette.ColorRole.Mid))
            axis.setGridLineColor(grid)
        legend = self._chart.legend()
        legend.setFont(font)
        legend.setLabelColor(text)
        for metric, series in self._series.items():
            colour = QColor(_COLOURS[metric][dark])
            pen = QPen(colour)
            pen.setWidthF(2.0 if metric == "valid_loss" else 1.5)
            if metric in _ACCURACY:
                # second to the loss: thinner and dashed
                pen.setWidthF(1.2)
                pen.setStyle(Qt.PenStyle.DashLine)
            series.setPen(pen)
            if series.pointsVisible():
                series.setBrush(colour)
        self._view.setBackgroundBrush(palette.color(QPalette.ColorRole.Window))
        self._view.viewport().update()


def _nearest(steps: list[int], x: float) -> int:
    i = bisect.bisect_left(steps, x)
    candidates = steps[max(0, i - 1) : i + 1]
    return min(candidates, key=lambda s: abs(s - x))
