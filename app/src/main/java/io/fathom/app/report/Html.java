package io.fathom.app.report;

/** Escaping of text placed in HTML or SVG, in content and in quoted attribute values alike. */
public final class Html {
    private Html() {}

    /** {@code text} with {@code & < > " '} replaced by their entities. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
