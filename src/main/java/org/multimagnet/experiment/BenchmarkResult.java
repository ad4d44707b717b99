package org.multimagnet.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The figures of one benchmark run, serialised with the keys the PyTorch reference prints
 * ({@code src/bench/python/pytorch_reference.py}) so that the two JSON objects can be compared key by key.
 * Throughputs are images per second (higher is better); {@code deploy_one_ms} is milliseconds (lower is better);
 * {@code calibration_ratio} is the whole calibration's time over its forward passes' time (1 is the floor).
 *
 * @param aeTrainImgS      ae_train: one epoch of MNIST member 1, batch 256
 * @param aeInferImgS      ae_infer: member 1's reconstructions, batch 256
 * @param clfTrainImgS     clf_train: one epoch of the Carlini-Wagner MNIST classifier, batch 128
 * @param clfInferImgS     clf_infer: its logits, batch 256
 * @param fgsmImgS         fgsm: FGSM ε 0.2
 * @param bim50ImgS        bim50: BIM ε 0.15, α 0.07, 50 iterations
 * @param deepfoolImgS     deepfool: overshoot 0.02, all 50 iterations for every image
 * @param cw100ImgS        cw100: CW-L2, 1 binary-search step, 100 iterations, lr 0.2, c 10
 * @param deployN5ImgS     deploy_n5: chunks of 100, 5 of 10 members per chunk, RE and JSD (T 10) per member
 * @param deployOneMs      deploy_one_ms: one image file, n = 9, decode to reformed class (median)
 * @param calibrationRatio calibration_ratio: (forward passes + grid) / forward passes, the demo grid
 * @param calibrationForwardSeconds the calibration's forward passes, seconds
 * @param calibrationGridSeconds    the calibration's grid evaluation, seconds
 * @param cifarClfTrainImgS    cifar_clf_train: one epoch of the paper's CIFAR-10 All-CNN, batch 32
 * @param cifarClfInferImgS    cifar_clf_infer: All-CNN's logits, batch 256
 * @param cifarInputGradImgS   cifar_input_grad: one input gradient through All-CNN, batch 256
 * @param cifarAeTrainImgS     cifar_ae_train: one epoch of CIFAR-10 member 1 ({@code 16,max,32,max,32}), batch 32
 * @param cifarAeInferImgS     cifar_ae_infer: member 1's reconstructions, batch 256
 * @param backend          the ND4J build in use
 * @param threads          the threads ND4J's native code may use
 * @param quick            whether the counts were reduced ({@code --quick})
 * @param settings         the counts used
 * @param date             when the run finished (ISO-8601)
 * @param seconds          the whole run's wall time, warm-up included
 */
@JsonPropertyOrder({"ae_train_img_s", "ae_infer_img_s", "clf_train_img_s", "clf_infer_img_s", "fgsm_img_s",
        "bim50_img_s", "deepfool_img_s", "cw100_img_s", "deploy_n5_img_s", "deploy_one_ms", "calibration_ratio",
        "calibration_forward_s", "calibration_grid_s", "cifar_clf_train_img_s", "cifar_clf_infer_img_s",
        "cifar_input_grad_img_s", "cifar_ae_train_img_s", "cifar_ae_infer_img_s", "backend", "threads", "quick", "settings", "date", "seconds"})
public record BenchmarkResult(
        @JsonProperty("ae_train_img_s") double aeTrainImgS,
        @JsonProperty("ae_infer_img_s") double aeInferImgS,
        @JsonProperty("clf_train_img_s") double clfTrainImgS,
        @JsonProperty("clf_infer_img_s") double clfInferImgS,
        @JsonProperty("fgsm_img_s") double fgsmImgS,
        @JsonProperty("bim50_img_s") double bim50ImgS,
        @JsonProperty("deepfool_img_s") double deepfoolImgS,
        @JsonProperty("cw100_img_s") double cw100ImgS,
        @JsonProperty("deploy_n5_img_s") double deployN5ImgS,
        @JsonProperty("deploy_one_ms") double deployOneMs,
        @JsonProperty("calibration_ratio") double calibrationRatio,
        @JsonProperty("calibration_forward_s") double calibrationForwardSeconds,
        @JsonProperty("calibration_grid_s") double calibrationGridSeconds,
        @JsonProperty("cifar_clf_train_img_s") double cifarClfTrainImgS,
        @JsonProperty("cifar_clf_infer_img_s") double cifarClfInferImgS,
        @JsonProperty("cifar_input_grad_img_s") double cifarInputGradImgS,
        @JsonProperty("cifar_ae_train_img_s") double cifarAeTrainImgS,
        @JsonProperty("cifar_ae_infer_img_s") double cifarAeInferImgS,
        @JsonProperty("backend") String backend,
        @JsonProperty("threads") int threads,
        @JsonProperty("quick") boolean quick,
        @JsonProperty("settings") BenchmarkSettings settings,
        @JsonProperty("date") String date,
        @JsonProperty("seconds") double seconds) {
}
