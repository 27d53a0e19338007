package io.churnserving.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Swagger UI in headless Chromium against the real server: open /docs, authorize with a key, try POST /predict and
 * see 200. Uses Debian's chromium and chromium-driver (src/test/verify.sh installs them); Selenium is pointed at the driver
 * binary, so Selenium Manager never downloads anything.
 */
class SwaggerUiBrowserTest {
  @Test
  void authorizeAndTryPredictFromTheDocsPage() throws Exception {
    Path profile = Files.createTempDirectory("chromium-profile");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    // Without the background-networking flags Chromium tries, and fails, to reach Google on this closed network.
    ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile);
    try (TestServer server = TestServer.start()) {
      WebDriver browser = new ChromeDriver(service, options);
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get("http://127.0.0.1:" + server.port() + "/docs");

        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button.authorize"))).click();
        WebElement key = wait.until(ExpectedConditions.visibilityOfElementLocated(
            By.cssSelector(".auth-container input[type=text]")));
        key.sendKeys(TestServer.KEY);
        browser.findElement(By.cssSelector(".auth-container button.authorize")).click();
        browser.findElement(By.cssSelector("button.btn-done")).click();

        wait.until(ExpectedConditions.elementToBeClickable(
            By.cssSelector("#operations-predictions-predict .opblock-summary"))).click();
        wait.until(ExpectedConditions.elementToBeClickable(
            By.cssSelector("#operations-predictions-predict button.try-out__btn"))).click();
        wait.until(ExpectedConditions.elementToBeClickable(
            By.cssSelector("#operations-predictions-predict button.execute"))).click();

        WebElement status = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
            "#operations-predictions-predict .live-responses-table .response .response-col_status")));
        assertThat(status.getText().trim()).startsWith("200");
        assertThat(browser.findElement(By.cssSelector("#operations-predictions-predict .live-responses-table"))
            .getText()).contains("churn_probability");
      } finally {
        browser.quit();
      }
    }
  }
}
