package org.diffusionexplorer.app.shell;

import java.util.List;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.diffusionexplorer.app.concurrent.Background;
import org.diffusionexplorer.app.view.DialogStyle;
import org.diffusionexplorer.app.view.Views;
import org.diffusionexplorer.data.Datasets;

/**
 * Help > About: the app's version, the Java, JavaFX and ND4J it runs on with the numeric backend,
 * the libraries inside with their licences, and the bundled data and models with theirs (read from assets/).
 */
public final class AboutDialog {
    private AboutDialog() {
    }

    /** Shows the dialog without waiting for it; slow parts (backend, assets) fill in from the background. */
    public static Dialog<ButtonType> show(Window owner, AppContext ctx) {
        AboutInfo info = new AboutInfo();
        Dialog<ButtonType> d = new Dialog<>();
        d.setTitle("About Diffusion Explorer");
        d.setResizable(true);
        DialogStyle.like(d, owner);
        var pane = d.getDialogPane();
        pane.setId("about-dialog");
        pane.getButtonTypes().setAll(ButtonType.CLOSE);

        Label title = new Label("Diffusion Explorer " + info.appVersion());
        title.getStyleClass().add("app-title");
        Label backend = Views.statValue("about-backend", "loading...");
        GridPane versions = new GridPane();
        versions.setHgap(14);
        versions.setVgap(4);
        Views.statRow(versions, 0, "Version", Views.statValue("about-version", info.appVersion()));
        Views.statRow(versions, 1, "Java", Views.statValue("about-java", info.javaVersion()));
        Views.statRow(versions, 2, "JavaFX", Views.statValue("about-javafx", info.javafxVersion()));
        Views.statRow(versions, 3, "ND4J", Views.statValue("about-nd4j", info.nd4jVersion()));
        Views.statRow(versions, 4, "Numeric backend", backend);
        Views.statRow(versions, 5, "System", Views.statValue("about-os", info.osDescription()));

        TextArea data = new TextArea("Reading the assets folder...");
        data.setId("about-data");
        data.setEditable(false);
        data.setWrapText(true);
        TabPane tabs = new TabPane(new Tab("Libraries and licences", libraryTable(info.libraries())),
                new Tab("Bundled data and models", data));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setPrefSize(780, 380);
        VBox content = new VBox(10, title, versions, tabs);
        content.setPadding(new Insets(4, 0, 0, 0));
        pane.setContent(content);

        ctx.background().submit(Background.task("Asking the numeric backend", () -> ctx.backend()),
                b -> backend.setText(b.summary()));
        ctx.background().submit(Background.task("Reading the bundled data's licences", AboutDialog::dataText), data::setText);
        d.show();
        return d;
    }

    private static TableView<AboutInfo.Library> libraryTable(List<AboutInfo.Library> libs) {
        TableView<AboutInfo.Library> t = new TableView<>();
        t.setId("about-libraries");
        t.getColumns().add(column("Library", 330, AboutInfo.Library::name));
        t.getColumns().add(column("Version", 110, AboutInfo.Library::version));
        t.getColumns().add(column("Licence", 300, AboutInfo.Library::licence));
        t.getItems().setAll(libs);
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        return t;
    }

    private static TableColumn<AboutInfo.Library, String> column(String name, double width,
            java.util.function.Function<AboutInfo.Library, String> get) {
        TableColumn<AboutInfo.Library, String> c = new TableColumn<>(name);
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(get.apply(cell.getValue())));
        return c;
    }

    /** The bundled datasets and models as text; a missing assets folder is said, not thrown. */
    static String dataText() {
        StringBuilder b = new StringBuilder();
        try {
            var assets = Datasets.assetsDir();
            b.append("From ").append(assets).append(" (datasets/SOURCE.md and each folder's licence files and README.md)\n\n");
            for (BundledLicences.Item i : BundledLicences.read(assets)) {
                b.append(i.name()).append(" (").append(i.kind()).append(")\n")
                        .append("  Source: ").append(i.source()).append('\n')
                        .append("  Licence: ").append(i.licence()).append("\n\n");
            }
        } catch (Exception e) {
            b.append("The assets folder could not be read: ").append(e.getMessage());
        }
        return b.toString().strip();
    }
}
