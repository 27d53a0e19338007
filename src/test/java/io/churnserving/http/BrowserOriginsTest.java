package io.churnserving.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What a real browser (headless Chromium) lets a page of another origin do with the server: a page served from
 * another port opens the stream with {@code ?api_key=dev-key} and calls {@code POST /predict} with {@code fetch}.
 * By default both fail (the upgrade gets 403, the answer has no CORS header and the preflight gets 405); once the
 * page's origin is in {@code STREAM_ALLOWED_ORIGINS} and {@code CORS_ALLOWED_ORIGINS}, both work.
 */
class BrowserOriginsTest {
  /** The foreign page: it reports what the browser let it do in {@code window.results}. */
  private static final String PAGE = """
      <!doctype html><html><body><script>
      const api = "127.0.0.1:" + new URLSearchParams(location.search).get("api");
      const customer = {tenure_months: 24, monthly_charges: 79.5, contract_type: "month-to-month", num_products: 2};
      window.results = {};
      const ws = new WebSocket("ws://" + api + "/v1/models/churn/stream?api_key=dev-key");
      ws.onmessage = e => { window.results.stream = JSON.parse(e.data).prediction ? "answered" : e.data; ws.close(); };
      ws.onopen = () => ws.send(JSON.stringify({id: "page-1", instance: customer}));
      ws.onclose = () => { window.results.stream = window.results.stream || "refused"; };
      fetch("http://" + api + "/predict", {method: "POST", body: JSON.stringify(customer),
          headers: {"Content-Type": "application/json", "X-API-Key": "dev-key"}})
        .then(r => r.json().then(j => { window.results.fetch = r.status + " " + j.risk_tier; }))
        .catch(e => { window.results.fetch = "blocked"; });
      </script></body></html>
      """;

  @Test
  void aForeignPageCanUseTheServerOnlyOnceItsOriginIsListed() throws Exception {
    Vertx pages = Vertx.vertx();
    HttpServer pageServer = TestServer.await(pages.createHttpServer()
        .requestHandler(request -> request.response().putHeader("Content-Type", "text/html").end(PAGE))
        .listen(0, "127.0.0.1"));
    String pageOrigin = "http://127.0.0.1:" + pageServer.actualPort();
    Path profile = Files.createTempDirectory("chromium-profile");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    // As SwaggerUiBrowserTest: no background networking on this closed network.
    ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile);
    WebDriver browser = new ChromeDriver(service, options);
    try {
      try (TestServer server = TestServer.start()) {
        assertThat(resultsOf(browser, pageOrigin, server.port()))
            .containsEntry("stream", "refused").containsEntry("fetch", "blocked");
      }
      try (TestServer server = TestServer.start("STREAM_ALLOWED_ORIGINS", pageOrigin,
          "CORS_ALLOWED_ORIGINS", pageOrigin)) {
        assertThat(resultsOf(browser, pageOrigin, server.port()))
            .containsEntry("stream", "answered").containsEntry("fetch", "200 medium");
      }
    } finally {
      browser.quit();
      TestServer.await(pages.close());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> resultsOf(WebDriver browser, String pageOrigin, int apiPort) {
    browser.get(pageOrigin + "/page.html?api=" + apiPort);
    String done = "return window.results && window.results.stream && window.results.fetch ? window.results : null";
    return (Map<String, Object>) new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(b -> ((JavascriptExecutor) b).executeScript(done));
  }
}
