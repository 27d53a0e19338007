package io.churnserving.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Trains the churn model (Tribuo logistic regression) and writes {@code model.onnx} and {@code metadata.json}.
 *
 * <pre>
 * mvn -q -Ptrain compile exec:java                                    # bundled model, synthetic data
 * mvn -q -Ptrain compile exec:java -Dexec.args="--csv my.csv --out models/churn/2 --version 2"
 * mvn -q -Ptrain compile exec:java -Dexec.args="--write-csv sample.csv"   # the CSV format, with the synthetic data
 * </pre>
 */
public final class TrainChurnModel {
  static final String[] NUMERIC = {"tenure_months", "monthly_charges", "num_products"};
  static final int TRAIN_ROWS = 20_000;
  static final int HELDOUT_ROWS = 5_000;
  // Fixed so that retraining with the same arguments gives the same model (provenance included).
  static final OffsetDateTime EPOCH = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  private TrainChurnModel() {
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> opts = options(args);
    long seed = Long.parseLong(opts.getOrDefault("seed", "7"));
    int epochs = Integer.parseInt(opts.getOrDefault("epochs", "10"));
    Path out = Path.of(opts.getOrDefault("out", "models/churn/1"));
    String version = opts.getOrDefault("version", "1");

    List<ChurnRow> train;
    List<ChurnRow> heldout;
    String dataDescription;
    if (opts.containsKey("csv")) {
      List<ChurnRow> all = readCsv(Path.of(opts.get("csv")));
      Collections.shuffle(all, new Random(seed));
      int cut = (int) (all.size() * 0.8);
      train = all.subList(0, cut);
      heldout = all.subList(cut, all.size());
      dataDescription = "CSV " + opts.get("csv") + ": " + all.size() + " rows, shuffled with seed " + seed
          + ", 80% train / 20% held out.";
    } else {
      train = SyntheticChurnData.generate(TRAIN_ROWS, seed);
      heldout = SyntheticChurnData.generate(HELDOUT_ROWS, seed + 1);
      dataDescription = "Synthetic telecom customers (SyntheticChurnData, seed " + seed + " for training, " + (seed + 1)
          + " for held-out): churn ~ Bernoulli(sigmoid(1.2 - 0.035 tenure + 0.012 (charges - 70) - 0.25 (products - 1)"
          + " - 1.1 one_year - 2.2 two_year + 0.45 Fiber - 0.4 None)).";
    }
    if (opts.containsKey("write-csv")) {
      writeCsv(Path.of(opts.get("write-csv")), train);
      System.out.println("wrote " + train.size() + " rows to " + opts.get("write-csv"));
      return;
    }

    double[][] stats = standardisation(train);
    LabelFactory labels = new LabelFactory();
    MutableDataset<Label> dataset = new MutableDataset<>(
        new SimpleDataSourceProvenance(dataDescription, EPOCH, labels), labels);
    train.forEach(r -> dataset.add(example(r, stats)));

    LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), epochs, -1, 1, seed);
    LinearSGDModel model = trainer.train(dataset);

    double[] scores = new double[heldout.size()];
    boolean[] truth = new boolean[heldout.size()];
    double[] best = new double[heldout.size()];
    int correct = 0;
    for (int i = 0; i < heldout.size(); i++) {
      ChurnRow r = heldout.get(i);
      scores[i] = model.predict(example(r, stats)).getOutputScores().get("true").getScore();
      truth[i] = r.churned();
      best[i] = SyntheticChurnData.trueLogit(r.tenureMonths(), r.monthlyCharges(), r.contractType(), r.numProducts(),
          r.internetService());
      correct += (scores[i] >= 0.5) == truth[i] ? 1 : 0;
    }
    double auc = auc(scores, truth);
    double accuracy = (double) correct / heldout.size();

    Files.createDirectories(out);
    model.saveONNXModel("io.churnserving", 1, out.resolve("model.onnx"));
    Map<String, Object> metadata = metadata(model, stats, version, trainer.toString(), dataDescription, train.size(),
        heldout.size(), auc, accuracy, opts.containsKey("csv") ? null : auc(best, truth));
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(out.resolve("metadata.json").toFile(), metadata);
    System.out.printf("held-out AUC %.4f, accuracy %.4f; wrote %s%n", auc, accuracy, out);
  }

  private static Example<Label> example(ChurnRow r, double[][] stats) {
    double[] raw = {r.tenureMonths(), r.monthlyCharges(), r.numProducts()};
    String[] names = new String[5];
    double[] values = new double[5];
    for (int i = 0; i < 3; i++) {
      names[i] = NUMERIC[i];
      values[i] = (raw[i] - stats[0][i]) / stats[1][i];
    }
    // One-hot columns: only the active one is written; Tribuo treats absent features as 0.
    names[3] = "contract_type=" + r.contractType();
    values[3] = 1;
    names[4] = "internet_service=" + r.internetService();
    values[4] = 1;
    return new ArrayExample<>(new Label(Boolean.toString(r.churned())), names, values);
  }

  /** Mean and standard deviation of each numeric column on the training rows. */
  private static double[][] standardisation(List<ChurnRow> rows) {
    double[][] stats = new double[2][3];
    for (ChurnRow r : rows) {
      double[] v = {r.tenureMonths(), r.monthlyCharges(), r.numProducts()};
      for (int i = 0; i < 3; i++) {
        stats[0][i] += v[i] / rows.size();
      }
    }
    for (ChurnRow r : rows) {
      double[] v = {r.tenureMonths(), r.monthlyCharges(), r.numProducts()};
      for (int i = 0; i < 3; i++) {
        stats[1][i] += (v[i] - stats[0][i]) * (v[i] - stats[0][i]) / rows.size();
      }
    }
    for (int i = 0; i < 3; i++) {
      stats[1][i] = Math.sqrt(stats[1][i]);
    }
    return stats;
  }

  private static Map<String, Object> metadata(LinearSGDModel model, double[][] stats, String version, String trainer,
                                              String data, int trainRows, int heldoutRows, double auc,
                                              double accuracy, Double bestAuc) {
    // Tribuo orders columns (and labels) by its own ids, alphabetical by name: read them, never assume.
    ImmutableFeatureMap features = model.getFeatureIDMap();
    List<Map<String, Object>> columns = new ArrayList<>();
    for (int id = 0; id < features.size(); id++) {
      String name = features.get(id).getName();
      Map<String, Object> column = new LinkedHashMap<>();
      column.put("name", name);
      int eq = name.indexOf('=');
      if (eq > 0) {
        column.put("field", name.substring(0, eq));
        column.put("equals", name.substring(eq + 1));
      } else {
        int i = List.of(NUMERIC).indexOf(name);
        column.put("field", name);
        column.put("mean", stats[0][i]);
        column.put("std", stats[1][i]);
      }
      columns.add(column);
    }
    ImmutableOutputInfo<Label> outputs = model.getOutputIDInfo();
    List<String> labelOrder = new ArrayList<>();
    for (int id = 0; id < outputs.size(); id++) {
      labelOrder.add(outputs.getOutput(id).getLabel());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "churn");
    m.put("version", version);
    m.put("description", "Logistic regression (Tribuo LinearSGD, log loss) predicting whether a telecom customer "
        + "churns; numeric inputs are standardised with the mean and std below, categories one-hot encoded.");
    m.put("format", "onnx");
    m.put("file", "model.onnx");
    m.put("input", Map.of("tensor", "input", "columns", columns));
    m.put("output", Map.of("tensor", "output", "labels", labelOrder, "positive_label", "true", "meaning",
        "Softmax probabilities, one column per label in 'labels' order; churn_probability is the column of "
            + "positive_label."));
    m.put("thresholds", Map.of("churn_prediction", 0.5, "risk_tiers", Map.of("medium", 0.3, "high", 0.6)));
    Map<String, String> texts = new LinkedHashMap<>();
    texts.put("low", "Standard engagement — no action required");
    texts.put("medium", "Proactive check-in call within 7 days");
    texts.put("high", "Immediate retention offer — 20% discount");
    m.put("recommendations", texts);
    Map<String, Object> heldout = new LinkedHashMap<>();
    heldout.put("rows", heldoutRows);
    heldout.put("auc", round(auc));
    heldout.put("accuracy", round(accuracy));
    if (bestAuc != null) {
      heldout.put("auc_of_true_process", round(bestAuc));
    }
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("command", "mvn -q -Ptrain compile exec:java");
    training.put("trainer", trainer);
    training.put("data", data);
    training.put("train_rows", trainRows);
    training.put("heldout", heldout);
    m.put("training", training);
    return m;
  }

  /** Rank-based area under the ROC curve (ties share their average rank). */
  static double auc(double[] scores, boolean[] truth) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    double rankSum = 0;
    long positives = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (truth[order[k]]) {
          rankSum += rank;
          positives++;
        }
      }
      i = j + 1;
    }
    long negatives = scores.length - positives;
    return (rankSum - positives * (positives + 1) / 2.0) / (positives * (double) negatives);
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }

  private static List<ChurnRow> readCsv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).trim().equals(ChurnRow.CSV_HEADER)) {
      throw new IllegalArgumentException(file + " must start with the header: " + ChurnRow.CSV_HEADER);
    }
    List<ChurnRow> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        rows.add(ChurnRow.fromCsv(lines.get(i), i + 1));
      }
    }
    return rows;
  }

  private static void writeCsv(Path file, List<ChurnRow> rows) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(ChurnRow.CSV_HEADER);
    rows.forEach(r -> lines.add(r.toCsv()));
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("usage: [--csv FILE] [--out DIR] [--version V] [--seed N] [--epochs N]"
            + " [--write-csv FILE]");
      }
      opts.put(args[i].substring(2), args[++i]);
    }
    return opts;
  }
}
