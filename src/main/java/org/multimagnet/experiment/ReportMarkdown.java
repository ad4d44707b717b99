package org.multimagnet.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The blocks of a report written by {@code reproduce} ({@code report.md}): headings, paragraphs, bullets, tables and
 * chart images, so that the workbench can draw the report as it reads, tables as tables and charts as pictures. Only
 * the Markdown the report writer produces is understood; anything else is kept as a paragraph of plain text.
 */
public final class ReportMarkdown {
    private static final Pattern IMAGE = Pattern.compile("!\\[([^]]*)]\\(([^)]+)\\)");

    private ReportMarkdown() {
    }

    /** One block of the report. */
    public sealed interface Block permits Heading, Paragraph, Bullet, Table, Image {
    }

    /** A heading; {@code level} 1 for "#". */
    public record Heading(int level, String text) implements Block {
    }

    /** A paragraph, inline markup removed. */
    public record Paragraph(String text) implements Block {
    }

    /** One bullet of a list. */
    public record Bullet(String text) implements Block {
    }

    /** A table: its header and rows, cells trimmed, inline markup removed. */
    public record Table(List<String> header, List<List<String>> rows) implements Block {
        public Table {
            header = List.copyOf(header);
            rows = rows.stream().map(List::copyOf).toList();
        }
    }

    /** A picture, {@code file} relative to the report's folder. */
    public record Image(String alt, String file) implements Block {
    }

    /** @return the blocks of {@code markdown}, in order */
    public static List<Block> parse(String markdown) {
        List<Block> out = new ArrayList<>();
        String[] lines = markdown.split("\r?\n", -1);
        StringBuilder para = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String t = line.trim();
            if (t.startsWith("|")) {
                flush(para, out);
                List<String> header = cells(t);
                List<List<String>> rows = new ArrayList<>();
                int j = i + 1;
                if (j < lines.length && lines[j].trim().matches("\\|?\\s*:?-{2,}.*")) {
                    j++;
                }
                while (j < lines.length && lines[j].trim().startsWith("|")) {
                    rows.add(cells(lines[j].trim()));
                    j++;
                }
                out.add(new Table(header, rows));
                i = j - 1;
            } else if (t.isEmpty()) {
                flush(para, out);
            } else if (t.startsWith("#")) {
                flush(para, out);
                int level = 0;
                while (level < t.length() && t.charAt(level) == '#') {
                    level++;
                }
                out.add(new Heading(level, plain(t.substring(level).trim())));
            } else if (IMAGE.matcher(t).matches()) {
                flush(para, out);
                Matcher m = IMAGE.matcher(t);
                m.matches();
                out.add(new Image(m.group(1), m.group(2)));
            } else if (t.startsWith("- ") || t.startsWith("* ")) {
                flush(para, out);
                out.add(new Bullet(plain(t.substring(2))));
            } else {
                if (para.length() > 0) {
                    para.append(' ');
                }
                para.append(t);
            }
        }
        flush(para, out);
        return out;
    }

    private static void flush(StringBuilder para, List<Block> out) {
        if (para.length() > 0) {
            out.add(new Paragraph(plain(para.toString())));
            para.setLength(0);
        }
    }

    private static List<String> cells(String row) {
        String r = row.startsWith("|") ? row.substring(1) : row;
        r = r.endsWith("|") ? r.substring(0, r.length() - 1) : r;
        return Arrays.stream(r.split("\\|", -1)).map(c -> plain(c.trim())).toList();
    }

    /** @return {@code s} without bold, italics and code marks, links reduced to their text */
    static String plain(String s) {
        return s.replaceAll("\\*\\*(.+?)\\*\\*", "$1").replaceAll("`([^`]*)`", "$1")
                .replaceAll("\\[([^]]+)]\\([^)]+\\)", "$1");
    }
}
