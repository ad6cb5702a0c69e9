package io.corral.bench.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figures measured per round on two sides (a baseline and a contender: ZooKeeper and Corral, or Corral without and
 * with observers), rendered as Markdown: the median of each side, the contender/baseline ratio computed per round
 * with its median and spread, and every round's values. A value is a number, a text (e.g. "n/a — LOST DATA") or
 * null (not measured).
 */
final class FigureTable {
    private final int rounds;
    private final String baseline;
    private final String contender;
    /** figure -> side -> one value per round. */
    private final Map<String, Map<String, List<Object>>> figures = new LinkedHashMap<>();
    private final Map<String, String> units = new LinkedHashMap<>();

    FigureTable(int rounds, String baseline, String contender) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds " + rounds);
        }
        this.rounds = rounds;
        this.baseline = baseline;
        this.contender = contender;
    }

    /** Records {@code value} for {@code side} (the baseline's or the contender's name) in round 1..rounds. */
    void record(String figure, String unit, String side, int round, Object value) {
        if (!side.equals(baseline) && !side.equals(contender)) {
            throw new IllegalArgumentException("unknown side " + side);
        }
        units.put(figure, unit);
        figures.computeIfAbsent(figure, f -> new LinkedHashMap<>())
                .computeIfAbsent(side, s -> new ArrayList<>(Collections.nCopies(rounds, null)))
                .set(round - 1, value);
    }

    /** "contender against baseline", a heading for {@link #summary()}. */
    String summaryTitle() {
        return contender + " against " + baseline;
    }

    boolean isEmpty() {
        return figures.isEmpty();
    }

    /** The contender/baseline ratios of one figure, one per round where both sides have a number, sorted. */
    List<Double> ratios(String figure) {
        Map<String, List<Object>> bySide = figures.getOrDefault(figure, Map.of());
        List<Object> a = bySide.getOrDefault(baseline, List.of());
        List<Object> b = bySide.getOrDefault(contender, List.of());
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            Double base = number(i < a.size() ? a.get(i) : null);
            Double other = number(i < b.size() ? b.get(i) : null);
            if (base != null && other != null && base != 0) {
                ratios.add(other / base);
            }
        }
        Collections.sort(ratios);
        return ratios;
    }

    /** The median of the per-round ratios of one figure, or null when no round has both. */
    Double medianRatio(String figure) {
        List<Double> r = ratios(figure);
        return r.isEmpty() ? null : median(r);
    }

    /** One side's values of a figure, round by round, leaving out the rounds not measured. */
    List<Object> values(String figure, String side) {
        List<Object> out = new ArrayList<>();
        for (Object v : figures.getOrDefault(figure, Map.of()).getOrDefault(side, List.of())) {
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    /** The median of one side's numbers for a figure, or null. */
    Double median(String figure, String side) {
        List<Double> numbers = new ArrayList<>();
        for (Object v : figures.getOrDefault(figure, Map.of()).getOrDefault(side, List.of())) {
            if (number(v) != null) {
                numbers.add(number(v));
            }
        }
        Collections.sort(numbers);
        return numbers.isEmpty() ? null : median(numbers);
    }

    /** | figure | unit | baseline | contender | contender / baseline | spread of the ratio | */
    String summary() {
        StringBuilder md = new StringBuilder();
        md.append("| figure | unit | ").append(baseline).append(" | ").append(contender).append(" | ")
                .append(contender).append(" / ").append(baseline).append(" | spread of the ratio |\n");
        md.append("|---|---|--:|--:|--:|--:|\n");
        for (Map.Entry<String, Map<String, List<Object>>> e : figures.entrySet()) {
            String figure = e.getKey();
            List<Double> ratios = ratios(figure);
            md.append("| ").append(figure).append(" | ").append(units.get(figure)).append(" | ")
                    .append(summary(e.getValue().getOrDefault(baseline, List.of()))).append(" | ")
                    .append(summary(e.getValue().getOrDefault(contender, List.of()))).append(" | ")
                    .append(ratios.isEmpty() ? "—" : fmt(median(ratios))).append(" | ")
                    .append(ratios.isEmpty() ? "—" : fmt(ratios.get(0)) + "–" + fmt(ratios.get(ratios.size() - 1)))
                    .append(" |\n");
        }
        return md.toString();
    }

    /** | figure | side | round 1 | ... | */
    String everyRound() {
        StringBuilder md = new StringBuilder("| figure | server | ");
        for (int i = 1; i <= rounds; i++) {
            md.append("round ").append(i).append(" | ");
        }
        md.append("\n|---|---|").append("--:|".repeat(rounds)).append('\n');
        for (Map.Entry<String, Map<String, List<Object>>> e : figures.entrySet()) {
            for (String side : List.of(baseline, contender)) {
                List<Object> values = e.getValue().getOrDefault(side, List.of());
                md.append("| ").append(e.getKey()).append(" | ").append(side).append(" | ");
                for (int i = 0; i < rounds; i++) {
                    Object v = i < values.size() ? values.get(i) : null;
                    md.append(v == null ? "—" : v instanceof Double d ? fmt(d) : v.toString()).append(" | ");
                }
                md.append('\n');
            }
        }
        return md.toString();
    }

    private static Double number(Object v) {
        return v instanceof Double d ? d : null;
    }

    private static String summary(List<Object> values) {
        List<Double> numbers = new ArrayList<>();
        String text = null;
        for (Object v : values) {
            if (v instanceof Double d) {
                numbers.add(d);
            } else if (v != null) {
                text = v.toString();
            }
        }
        if (numbers.isEmpty()) {
            return text == null ? "—" : text;
        }
        Collections.sort(numbers);
        return fmt(median(numbers));
    }

    static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** {@link #fmt}, or a dash for a figure there is none of. */
    static String fmtOrDash(Double v) {
        return v == null ? "—" : fmt(v);
    }

    /** Three significant figures or so, thousands grouped. */
    static String fmt(double v) {
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
