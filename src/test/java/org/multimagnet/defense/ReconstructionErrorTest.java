package org.multimagnet.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ReconstructionErrorTest {

    @Test
    void isTheMeanAbsoluteDifferenceOverAllPixels() {
        INDArray x = Nd4j.create(new float[] {0, 0.5f, 1, 0.25f, /* image 2 */ 1, 1, 1, 1}, 2, 1, 2, 2);
        INDArray a = Nd4j.create(new float[] {0.5f, 0.5f, 0, 0.25f, /* image 2 */ 1, 1, 1, 0}, 2, 1, 2, 2);
        INDArray re = ReconstructionError.of(x, a);
        assertEquals((0.5 + 0 + 1 + 0) / 4, re.getDouble(0), 1e-7);
        assertEquals(0.25, re.getDouble(1), 1e-7);
    }

    @Test
    void stackedMembersGiveTheSameAsOneAtATime() {
        INDArray x = Fakes.legitimate(6, 1);
        Fakes.ShrinkAutoencoder a1 = new Fakes.ShrinkAutoencoder(1, 0.3);
        Fakes.ShrinkAutoencoder a2 = new Fakes.ShrinkAutoencoder(2, 0.7);
        INDArray stacked = Nd4j.stack(0, a1.reconstruct(x), a2.reconstruct(x));
        INDArray both = ReconstructionError.of(x, stacked);
        INDArray one = ReconstructionError.of(x, a1.reconstruct(x));
        INDArray two = ReconstructionError.of(x, a2.reconstruct(x));
        for (int j = 0; j < 6; j++) {
            assertEquals(one.getDouble(j), both.getDouble(0, j), 1e-12);
            assertEquals(two.getDouble(j), both.getDouble(1, j), 1e-12);
            // The shrink autoencoder's error is s·mean|x − 0.5|: the two members differ by 0.7 / 0.3.
            assertEquals(two.getDouble(j) / one.getDouble(j), 0.7 / 0.3, 1e-5);
        }
    }

    @Test
    void rejectsMismatchedShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReconstructionError.of(Nd4j.zeros(2, 1, 4, 4), Nd4j.zeros(2, 1, 4, 3)));
        assertEquals(true, e.getMessage().contains("[2, 1, 4, 3]"), e.getMessage());
    }
}
