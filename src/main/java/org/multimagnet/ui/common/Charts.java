package org.multimagnet.ui.common;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;

/** One look for every JFreeChart in the workbench: white plot, light grid, modest title, readable axis labels. */
public final class Charts {
    private static final Color GRID = new Color(0xD0, 0xD7, 0xDE);

    private Charts() {
    }

    /** Restyles {@code chart} in place and returns it. */
    public static JFreeChart style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        }
        if (chart.getPlot() instanceof XYPlot p) {
            p.setBackgroundPaint(Color.WHITE);
            p.setDomainGridlinePaint(GRID);
            p.setRangeGridlinePaint(GRID);
            p.setDomainGridlineStroke(new BasicStroke(1f));
            p.setRangeGridlineStroke(new BasicStroke(1f));
            p.setOutlineVisible(false);
            Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
            p.getDomainAxis().setLabelFont(label);
            p.getRangeAxis().setLabelFont(label);
        }
        return chart;
    }
}
