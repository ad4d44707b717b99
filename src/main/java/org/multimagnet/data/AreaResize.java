package org.multimagnet.data;

/**
 * Resizes image planes by area averaging (a box filter): target pixel (ty, tx) is the mean of the source area
 * [ty·sh/th, (ty+1)·sh/th) × [tx·sw/tw, (tx+1)·sw/tw), each source pixel weighted by the fraction of it inside.
 * The filter is separable, so rows are resized first, then columns; the result is the same as the 2-D mean.
 */
final class AreaResize {
    private AreaResize() {
    }

    /**
     * @param src      {@code channels × sh × sw} values, CHW
     * @return {@code channels × th × tw} values, CHW
     */
    static float[] resize(float[] src, int channels, int sh, int sw, int th, int tw) {
        Weights wx = Weights.of(sw, tw);
        Weights wy = Weights.of(sh, th);
        float[] out = new float[channels * th * tw];
        double[] tmp = new double[sh * tw];
        for (int c = 0; c < channels; c++) {
            int base = c * sh * sw;
            for (int y = 0; y < sh; y++) {
                for (int tx = 0; tx < tw; tx++) {
                    double s = 0;
                    for (int k = wx.start[tx]; k < wx.start[tx + 1]; k++) {
                        s += wx.weight[k] * src[base + y * sw + wx.index[k]];
                    }
                    tmp[y * tw + tx] = s;
                }
            }
            for (int ty = 0; ty < th; ty++) {
                for (int tx = 0; tx < tw; tx++) {
                    double s = 0;
                    for (int k = wy.start[ty]; k < wy.start[ty + 1]; k++) {
                        s += wy.weight[k] * tmp[wy.index[k] * tw + tx];
                    }
                    out[c * th * tw + ty * tw + tx] = (float) Math.min(1.0, Math.max(0.0, s));
                }
            }
        }
        return out;
    }

    /** For each target index t, the source indices index[start[t]..start[t+1]) and their weights (summing to 1). */
    private record Weights(int[] start, int[] index, double[] weight) {
        static Weights of(int source, int target) {
            double scale = (double) source / target;
            int[] start = new int[target + 1];
            int cap = target * ((int) Math.ceil(scale) + 2);
            int[] index = new int[cap];
            double[] weight = new double[cap];
            int k = 0;
            for (int t = 0; t < target; t++) {
                start[t] = k;
                double lo = t * scale;
                double hi = (t + 1) * scale;
                for (int s = (int) Math.floor(lo); s < Math.min(source, (int) Math.ceil(hi)); s++) {
                    double overlap = Math.min(hi, s + 1) - Math.max(lo, s);
                    if (overlap > 1e-12) {
                        index[k] = s;
                        weight[k] = overlap / scale;
                        k++;
                    }
                }
            }
            start[target] = k;
            return new Weights(start, index, weight);
        }
    }
}
