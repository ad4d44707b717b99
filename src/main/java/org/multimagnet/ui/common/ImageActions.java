package org.multimagnet.ui.common;

import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.input.MouseButton;

/**
 * What a gallery image offers besides drag and drop, so that every way in works with a mouse click or the keyboard:
 * send it to the Deployment pane (double-click, context menu), attack it and deploy the result in one step, save it
 * as PNG at its own resolution.
 */
public final class ImageActions {
    private final Consumer<ImagePayload> send;
    private final Consumer<ImagePayload> attackAndSend;
    private final Supplier<String> attackName;
    private final DialogService dialogs;
    private final ComputeExecutor executor;

    /**
     * @param send          shows the Deployment pane and decides the image there
     * @param attackAndSend attacks the image with the Attack pane's attack, then sends the adversarial image
     * @param attackName    the Attack pane's chosen attack (named in the menu)
     * @param dialogs       the save chooser
     * @param executor      writes the PNG
     */
    public ImageActions(Consumer<ImagePayload> send, Consumer<ImagePayload> attackAndSend, Supplier<String> attackName,
                        DialogService dialogs, ComputeExecutor executor) {
        this.send = send;
        this.attackAndSend = attackAndSend;
        this.attackName = attackName;
        this.dialogs = dialogs;
        this.executor = executor;
    }

    /** Decides {@code image} on the Deployment pane (and shows it). */
    public void send(ImagePayload image) {
        send.accept(image);
    }

    /** Attacks {@code image} with the Attack pane's attack and decides the result on the Deployment pane. */
    public void attackAndSend(ImagePayload image) {
        attackAndSend.accept(image);
    }

    /** Asks where, then writes {@code image}'s pixels as a PNG of its own size (28×28 for MNIST). */
    public void save(ImagePayload image) {
        Snapshots.saveImage(Images.toImage(image.pixels(), image.shape(), 1), fileName(image.origin()), dialogs,
                executor);
    }

    /** @return a file name from an image's origin, e.g. "bim #4 (adversarial)" → "bim-4-adversarial" */
    static String fileName(String origin) {
        String s = origin.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("-+", "-").replaceAll("^-|-$", "");
        return s.isEmpty() ? "image" : s;
    }

    /**
     * Double-click sends the image; the context menu sends it, attacks and deploys it (when {@code attackable}), or
     * saves it. {@code image} is asked for when used (null: nothing there, nothing happens).
     */
    public void install(Node node, Supplier<ImagePayload> image, boolean attackable) {
        node.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                ImagePayload p = image.get();
                if (p != null) {
                    send(p);
                }
            }
        });
        node.setOnContextMenuRequested(e -> {
            ImagePayload p = image.get();
            if (p == null) {
                return;
            }
            menu(p, attackable).show(node, e.getScreenX(), e.getScreenY());
            e.consume();
        });
    }

    /** @return the context menu of {@code image} */
    public ContextMenu menu(ImagePayload image, boolean attackable) {
        MenuItem toDeployment = new MenuItem("Send to Deployment");
        toDeployment.setId("send-to-deployment");
        toDeployment.setOnAction(e -> send(image));
        ContextMenu m = new ContextMenu(toDeployment);
        if (attackable) {
            MenuItem attack = new MenuItem("Attack with " + attackName.get() + " and deploy");
            attack.setId("attack-and-deploy");
            attack.setOnAction(e -> attackAndSend(image));
            m.getItems().add(attack);
        }
        MenuItem save = new MenuItem("Save image as PNG…");
        save.setId("save-image-png");
        save.setOnAction(e -> save(image));
        m.getItems().add(save);
        return m;
    }
}
