package org.pwtck.reports;

/** HTML escaping and the shared stylesheet of every rendered page (no network needed). */
public final class Html {
    private Html() {}

    public static String esc(Object o) {
        if (o == null) {
            return "";
        }
        String s = o.toString();
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    public static final String STYLE =
            """
            body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1b1f24;max-width:1400px}
            h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
            table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem} th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
            th{background:#f6f8fa} td.c{text-align:center;font-weight:600;white-space:nowrap}
            .PASS{background:#dafbe1;color:#116329} .FAIL{background:#ffebe9;color:#a40e26} .NOT_SUPPORTED{background:#eaeef2;color:#57606a}
            .XFAIL{background:#fff8c5;color:#7d4e00} .XPASS{background:#ffd8b5;color:#953800} .SKIPPED{background:#f6f8fa;color:#8c959f}
            .DIFF{outline:2px solid #cf222e} a{color:inherit} .muted{color:#57606a} code,pre{font-family:ui-monospace,Menlo,monospace;font-size:.8rem}
            pre{background:#f6f8fa;padding:.5rem;overflow-x:auto;white-space:pre-wrap;max-height:16rem}
            .badge{display:inline-block;padding:.1rem .5rem;border-radius:1rem;margin-right:.3rem;font-size:.85rem}
            details{margin:.3rem 0} summary{cursor:pointer}
            """;
}
