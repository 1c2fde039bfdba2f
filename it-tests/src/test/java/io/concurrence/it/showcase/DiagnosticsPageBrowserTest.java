package io.concurrence.it.showcase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.concurrence.examples.Showcase;
import io.concurrence.it.support.Services;

/**
 * The showcase's diagnostics page in headless Chromium, through Selenium and the Debian chromedriver: the page
 * loads and fills itself from the snapshots the server pushes every second (Server-Sent Events); the Spawn button's route spawns demo tasklets that appear in the tree
 * under their supervisor; a screenshot is taken; the Kill button's route kills them and they leave the tree.
 * Needs the Debian packages {@code chromium} and {@code chromium-driver} ({@code .ci/run} installs them): without
 * them the test fails when {@code CI=true} and is skipped elsewhere.
 */
@org.junit.jupiter.api.Timeout(180)
class DiagnosticsPageBrowserTest {

    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");

    /** For the browser to start, load, and see a change the server pushes once a second (CI: 2 shared cores). */
    private static final Duration BOUND = Duration.ofSeconds(60);

    /** The PNG file signature. */
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private Showcase showcase;
    private WebDriver driver;
    private Path profile;

    @BeforeEach
    void start() throws IOException {
        requireChromium();
        showcase = Showcase.start("127.0.0.1", 0, 0, Services.mysqlUrl());
        profile = Files.createTempDirectory("showcase-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 1600)); // the whole page in the screenshot
    }

    @AfterEach
    void stop() throws IOException {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            if (showcase != null) {
                showcase.close();
            }
            deleteTree(profile);
        }
    }

    @Test
    void spawnedTaskletsAppearInTheTreeAndGoWhenKilled() throws IOException {
        WebDriverWait wait = new WebDriverWait(driver, BOUND);
        driver.get("http://127.0.0.1:" + showcase.port() + "/diagnostics");
        wait.until(ExpectedConditions.attributeToBe(By.id("updated"), "data-loaded", "true"));
        // The server pushes a snapshot a second over the page's one event stream.
        wait.until(ExpectedConditions.textToBe(By.id("stream"), "live"));
        wait.until(ExpectedConditions.textToBe(By.id("pages"), "1"));
        String firstUpdate = driver.findElement(By.id("updated")).getText();
        wait.until(ExpectedConditions.not(ExpectedConditions.textToBe(By.id("updated"), firstUpdate)));
        assertThat(driver.findElement(By.id("tree")).findElements(By.cssSelector("li[data-name='demo-supervisor']")))
                .hasSize(1);
        assertThat(Long.parseLong(driver.findElement(By.id("alive")).getText())).isPositive();

        driver.findElement(By.id("spawn-n")).clear();
        driver.findElement(By.id("spawn-n")).sendKeys("3");
        driver.findElement(By.id("spawn")).click();

        for (String name : new String[] {"demo-1", "demo-2", "demo-3"}) {
            wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("li[data-name='demo-supervisor'] li[data-name='" + name + "']")));
        }
        wait.until(ExpectedConditions.attributeContains(
                By.cssSelector("li[data-name='demo-2']"), "data-state", "waiting on Tasklet.sleep"));
        Path screenshot = screenshot();
        byte[] png = Files.readAllBytes(screenshot);
        assertThat(png.length).isGreaterThan(PNG_SIGNATURE.length);
        assertThat(Arrays.copyOf(png, PNG_SIGNATURE.length)).isEqualTo(PNG_SIGNATURE);

        driver.findElement(By.id("kill")).click();

        wait.until(ExpectedConditions.numberOfElementsToBe(
                By.cssSelector("li[data-name^='demo-']:not([data-name='demo-supervisor'])"), 0));
        assertThat(driver.findElement(By.id("action-result")).getText()).isEqualTo("{\"killed\":3}");
        assertThat(driver.findElements(By.cssSelector("li[data-name='demo-supervisor']"))).hasSize(1);
    }

    private Path screenshot() throws IOException {
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        Path target = Paths.get("target", "showcase-diagnostics.png");
        Files.createDirectories(target.getParent());
        return Files.write(target, png);
    }

    /** Fails (CI) or skips (elsewhere) unless the Debian chromium and chromium-driver are installed. */
    private static void requireChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String message = "headless Chromium needs the Debian packages chromium and chromium-driver ("
                + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install -y chromium chromium-driver";
        if ("true".equals(System.getenv("CI"))) {
            if (!present) {
                fail(message);
            }
        } else {
            assumeTrue(present, message);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
