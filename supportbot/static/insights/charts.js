'use strict';
// Draws every chart of the insights page with Chart.js, from the numbers the page carries (json_script).
// Each chart says how to draw itself (kind, unit); nothing here knows which charts there are.
// Colours come from the admin's CSS variables, read again whenever light or dark mode changes.
{
    const WEEK = /^\d{4}-\d{2}-\d{2}$/;
    const SERIES_COLOURS = 6;
    // Names longer than this (entry slugs, agents) read better down the side than slanted under the bars.
    const LONG_LABEL = 12;
    const drawn = new Map();

    function colours() {
        const style = getComputedStyle(document.documentElement);
        const read = (name) => style.getPropertyValue(name).trim();
        const series = [];
        for (let n = 1; n <= SERIES_COLOURS; n++) series.push(read(`--insights-series-${n}`));
        return {
            text: read('--body-fg'),
            quiet: read('--body-quiet-color'),
            grid: read('--hairline-color'),
            border: read('--border-color'),
            background: read('--body-bg'),
            series,
        };
    }

    function sideways(chart) {
        return chart.kind !== 'line' && !weekly(chart) && chart.labels.some((label) => label.length > LONG_LABEL);
    }

    function valueAxis(chart, palette) {
        const axis = {
            stacked: chart.kind === 'stacked',
            beginAtZero: true,
            grid: {color: palette.grid},
            border: {color: palette.border},
            ticks: {color: palette.quiet},
            title: {display: Boolean(chart.unitName), text: chart.unitName, color: palette.quiet},
        };
        if (chart.unit === 'percent') {
            Object.assign(axis, {min: 0, max: 100});
            axis.ticks.callback = (value) => `${value}%`;
        } else if (chart.unit === 'score') {
            Object.assign(axis, {min: 1, max: 5, beginAtZero: false});
            axis.ticks.stepSize = 1;
        } else if (chart.unit !== 'hours') {
            axis.ticks.precision = 0;  // counts and days are whole numbers
        }
        return axis;
    }

    function weekly(chart) {
        return chart.labels.length > 0 && chart.labels.every((label) => WEEK.test(label));
    }

    function dayOf(label) {
        const [year, month, day] = label.split('-').map(Number);
        return new Date(year, month - 1, day);
    }

    function labelAxis(chart, palette) {
        const axis = {
            stacked: chart.kind === 'stacked',
            grid: {display: false},
            border: {color: palette.border},
            ticks: {color: palette.quiet, autoSkip: true},
        };
        if (weekly(chart)) {
            // "Aug 31" or "8月31日" under each week, in the page's language; the year only when the range has two.
            const years = new Set(chart.labels.map((label) => label.slice(0, 4)));
            const shown = {month: 'short', day: 'numeric', ...(years.size > 1 ? {year: 'numeric'} : {})};
            const format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, shown);
            axis.ticks.callback = function (value) {
                return format.format(dayOf(this.getLabelForValue(value)));
            };
        }
        return axis;
    }

    function config(chart, palette) {
        const line = chart.kind === 'line';
        const across = sideways(chart);
        // Lines curve "monotone": they never overshoot, so a share stays within 0–100 and a rating within 1–5.
        // A week with no value (null) is a gap in the line, not a zero.
        const look = line
            ? {borderWidth: 2, pointRadius: 3, cubicInterpolationMode: 'monotone', spanGaps: false}
            : {maxBarThickness: 36};
        const datasets = chart.series.map((series, index) => {
            const colour = palette.series[index % palette.series.length];
            return {label: series.name, data: series.values, borderColor: colour, backgroundColor: colour, ...look};
        });
        const [labelKey, valueKey] = across ? ['y', 'x'] : ['x', 'y'];
        return {
            type: line ? 'line' : 'bar',
            data: {labels: chart.labels, datasets},
            options: {
                indexAxis: across ? 'y' : 'x',
                responsive: true,
                maintainAspectRatio: false,
                animation: false,
                interaction: {mode: 'index', intersect: false},
                scales: {[labelKey]: labelAxis(chart, palette), [valueKey]: valueAxis(chart, palette)},
                plugins: {
                    tooltip: {
                        callbacks: {
                            title: (items) => items.length ? `${chart.axisName} ${items[0].label}`.trim() : '',
                        },
                    },
                    legend: {
                        display: chart.series.length > 1,
                        labels: {color: palette.text, boxWidth: 14, boxHeight: 14},
                    },
                },
            },
        };
    }

    function draw(charts) {
        const palette = colours();
        Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
        Chart.defaults.color = palette.text;
        for (const chart of charts) {
            const canvas = document.querySelector(`canvas[data-chart="${CSS.escape(chart.key)}"]`);
            if (!canvas) continue;
            if (sideways(chart)) {
                // A row per label: tall enough that no name is skipped.
                canvas.parentElement.style.height = `${Math.max(220, 26 * chart.labels.length + 70)}px`;
            }
            drawn.get(chart.key)?.destroy();
            drawn.set(chart.key, new Chart(canvas, config(chart, palette)));
        }
    }

    function showTables() {
        // The script came but Chart.js did not (blocked, failed to load): the tables carry the numbers.
        document.querySelectorAll('.insights-canvas').forEach((element) => element.remove());
        document.querySelectorAll('.insights-numbers').forEach((element) => element.setAttribute('open', ''));
    }

    const source = document.getElementById('insights-data');
    if (source) {
        const charts = JSON.parse(source.textContent);
        if (typeof Chart === 'undefined') {
            showTables();
        } else {
            draw(charts);
            const redraw = () => draw(charts);
            // The admin's theme toggle sets data-theme on <html>; "auto" follows the system's scheme.
            new MutationObserver(redraw).observe(document.documentElement, {attributeFilter: ['data-theme']});
            window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', redraw);
        }
    }
}
