package io.churnserving.train;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableDataset;
import org.tribuo.ONNXExportable;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Trains a version of the churn model (Tribuo logistic regression) and writes its version folder: {@code model.onnx},
 * {@code metadata.json} and {@code schema.json} (the JSON Schema of one request instance).
 *
 * <pre>
 * mvn -q -Ptrain compile exec:java                                    # version 1 into models/churn/1
 * mvn -q -Ptrain compile exec:java -Dexec.args="--version 2"          # version 2 into models/churn/2
 * mvn -q -Ptrain compile exec:java -Dexec.args="--csv my.csv --version 3 --inputs 2"   # your data, version 2's fields
 * mvn -q -Ptrain compile exec:java -Dexec.args="--write-csv sample.csv --inputs 2"   # the CSV format, synthetic data
 * </pre>
 *
 * {@code --version} names the version (and the folder, {@code models/churn/<version>} unless {@code --out} says
 * otherwise); its input fields are those of {@code --inputs}, by default the set the version introduced (1 or 2,
 * see {@link ChurnInputs}).
 *
 * The same arguments give the same bytes: data, shuffling and SGD are seeded, the JSON keys are written in a fixed
 * order, and the provenance Tribuo embeds in the ONNX file gets a fixed training time and no host details.
 */
public final class TrainChurnModel {
  static final int TRAIN_ROWS = 20_000;
  static final int HELDOUT_ROWS = 5_000;
  static final int DEFAULT_EPOCHS = 10;
  static final String USAGE = "usage: [--csv FILE] [--version V] [--inputs 1|2] [--out DIR] [--seed N] [--epochs N]"
      + " | --write-csv FILE [--inputs 1|2] [--seed N]";
  // Fixed so that retraining with the same arguments gives the same bytes (provenance included).
  static final OffsetDateTime FIXED_TIME = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  private TrainChurnModel() {
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> opts = options(args);
    long seed = Long.parseLong(opts.getOrDefault("seed", "7"));
    int epochs = Integer.parseInt(opts.getOrDefault("epochs", Integer.toString(DEFAULT_EPOCHS)));
    String version = opts.getOrDefault("version", "1");
    Path out = Path.of(opts.getOrDefault("out", "models/churn/" + version));
    ChurnInputs inputs = ChurnInputs.named(opts.getOrDefault("inputs", version));
    if (inputs == null) {
      throw new IllegalArgumentException(opts.containsKey("inputs")
          ? "--inputs must be 1 or 2 (the versions that introduced an input set); " + USAGE
          : "version " + version + " introduces no input set: say which fields it takes with --inputs 1 or 2; " + USAGE);
    }

    if (opts.containsKey("write-csv")) {
      if (opts.containsKey("csv")) {
        throw new IllegalArgumentException("--write-csv writes the synthetic data; it does not take --csv. " + USAGE);
      }
      List<ChurnRow> rows = new ArrayList<>(SyntheticChurnData.generate(inputs, TRAIN_ROWS, seed));
      rows.addAll(SyntheticChurnData.generate(inputs, HELDOUT_ROWS, seed + 1));
      writeCsv(Path.of(opts.get("write-csv")), inputs, rows);
      System.out.println("wrote " + rows.size() + " synthetic rows (" + TRAIN_ROWS + " training rows of seed " + seed
          + ", then " + HELDOUT_ROWS + " held-out rows of seed " + (seed + 1) + ") to " + opts.get("write-csv"));
      return;
    }

    List<ChurnRow> train;
    List<ChurnRow> heldout;
    String dataDescription;
    Double trueProcessAuc = null;
    if (opts.containsKey("csv")) {
      List<ChurnRow> all = readCsv(Path.of(opts.get("csv")), inputs);
      Collections.shuffle(all, new Random(seed));
      int cut = (int) (all.size() * 0.8);
      train = all.subList(0, cut);
      heldout = all.subList(cut, all.size());
      dataDescription = "CSV " + opts.get("csv") + ": " + all.size() + " rows, shuffled with seed " + seed
          + "; the first 80% train, the other 20% are held out.";
    } else {
      train = SyntheticChurnData.generate(inputs, TRAIN_ROWS, seed);
      heldout = SyntheticChurnData.generate(inputs, HELDOUT_ROWS, seed + 1);
      trueProcessAuc = auc(heldout.stream().mapToDouble(r -> SyntheticChurnData.trueLogit(inputs, r)).toArray(),
          truth(heldout));
      dataDescription = String.format(java.util.Locale.ROOT, "Synthetic telecom customers (SyntheticChurnData, "
          + "SplittableRandom seed %d for the %d training rows, seed %d for the %d held-out rows): %s. The true "
          + "process itself scores held-out AUC %.4f.", seed, TRAIN_ROWS, seed + 1, HELDOUT_ROWS,
          SyntheticChurnData.process(inputs), trueProcessAuc);
    }
    checkTrainingRows(inputs, train, heldout);

    double[][] stats = standardisation(inputs, train);
    LabelFactory labels = new LabelFactory();
    MutableDataset<Label> dataset = new MutableDataset<>(
        new SimpleDataSourceProvenance(dataDescription, FIXED_TIME, labels), labels);
    train.forEach(r -> dataset.add(example(inputs, r, stats)));

    LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), epochs, -1, 1, seed);
    LinearSGDModel model = trainer.train(dataset);
    checkDomain(inputs, model);

    double[] scores = new double[heldout.size()];
    int correct = 0;
    for (int i = 0; i < heldout.size(); i++) {
      ChurnRow r = heldout.get(i);
      scores[i] = model.predict(example(inputs, r, stats)).getOutputScores().get("true").getScore();
      correct += (scores[i] >= 0.5) == r.churned() ? 1 : 0;
    }
    double auc = auc(scores, truth(heldout));
    double accuracy = (double) correct / heldout.size();

    Files.createDirectories(out);
    writeOnnx(model, version, out.resolve("model.onnx"));
    Map<String, Object> metadata = metadata(inputs, model, stats, version, command(opts), trainer.toString(),
        dataDescription, train.size(), heldout.size(), auc, accuracy);
    Files.writeString(out.resolve("metadata.json"),
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(metadata) + "\n",
        StandardCharsets.UTF_8);
    Files.writeString(out.resolve("schema.json"), SchemaWriter.write(inputs, version), StandardCharsets.UTF_8);

    System.out.println("columns (ONNX input order): " + columnNames(model));
    System.out.println("labels (ONNX output order): " + labelOrder(model));
    System.out.printf(java.util.Locale.ROOT, "held-out rows %d: AUC %.4f, accuracy %.4f%s%n", heldout.size(), auc,
        accuracy, trueProcessAuc == null ? "" : String.format(java.util.Locale.ROOT,
            " (true process AUC %.4f)", trueProcessAuc));
    System.out.println("wrote " + out.resolve("model.onnx") + ", " + out.resolve("metadata.json") + " and "
        + out.resolve("schema.json"));
  }

  /**
   * Every column, written explicitly (one-hot zeros included): Tribuo's feature domain holds only the names it has
   * seen, so a category missing from the data would otherwise silently shrink the ONNX input.
   */
  private static Example<Label> example(ChurnInputs inputs, ChurnRow r, double[][] stats) {
    List<InputField> numeric = inputs.numericFields();
    List<String> names = inputs.columns();
    double[] values = new double[names.size()];
    int k = 0;
    for (int i = 0; i < numeric.size(); i++, k++) {
      values[k] = (r.number(numeric.get(i).name()) - stats[0][i]) / stats[1][i];
    }
    for (InputField f : inputs.categoricalFields()) {
      for (String level : f.levels()) {
        values[k++] = level.equals(r.category(f.name())) ? 1 : 0;
      }
    }
    return new ArrayExample<>(new Label(Boolean.toString(r.churned())), names.toArray(new String[0]), values);
  }

  private static void checkTrainingRows(ChurnInputs inputs, List<ChurnRow> train, List<ChurnRow> heldout) {
    if (train.size() < 10 || heldout.isEmpty()) {
      throw new IllegalArgumentException("need at least 13 rows (10 to train, some held out); got "
          + (train.size() + heldout.size()));
    }
    long churners = train.stream().filter(ChurnRow::churned).count();
    if (churners == 0 || churners == train.size()) {
      throw new IllegalArgumentException("the training rows must contain both churned=true and churned=false");
    }
    if (heldout.stream().allMatch(ChurnRow::churned) || heldout.stream().noneMatch(ChurnRow::churned)) {
      throw new IllegalArgumentException("the held-out rows must contain both labels to compute an AUC");
    }
    for (InputField f : inputs.categoricalFields()) {
      for (String level : f.levels()) {
        if (train.stream().noneMatch(r -> r.category(f.name()).equals(level))) {
          System.err.println("warning: no training row has " + f.name() + "=" + level + "; its weight stays 0");
        }
      }
    }
  }

  /** The model must know exactly the input set's columns (in Tribuo's order, whatever it is) and the two labels. */
  private static void checkDomain(ChurnInputs inputs, LinearSGDModel model) {
    List<String> columns = columnNames(model);
    List<String> expected = inputs.columns();
    if (!new TreeSet<>(columns).equals(new TreeSet<>(expected)) || columns.size() != expected.size()) {
      throw new IllegalStateException("Tribuo's feature domain is " + columns + ", expected the " + expected.size()
          + " columns " + expected);
    }
    if (!new TreeSet<>(labelOrder(model)).equals(new TreeSet<>(List.of("false", "true")))) {
      throw new IllegalStateException("Tribuo's label domain is " + labelOrder(model) + ", expected false and true");
    }
  }

  /** Column names in the model's feature-id order, which is the ONNX input column order. */
  static List<String> columnNames(LinearSGDModel model) {
    ImmutableFeatureMap features = model.getFeatureIDMap();
    List<String> names = new ArrayList<>();
    for (int id = 0; id < features.size(); id++) {
      names.add(features.get(id).getName());
    }
    return names;
  }

  /** Labels in the model's output-id order, which is the ONNX output column order. */
  static List<String> labelOrder(LinearSGDModel model) {
    ImmutableOutputInfo<Label> outputs = model.getOutputIDInfo();
    List<String> order = new ArrayList<>();
    for (int id = 0; id < outputs.size(); id++) {
      order.add(outputs.getOutput(id).getLabel());
    }
    return order;
  }

  /**
   * Tribuo's {@code saveONNXModel}, except that the embedded provenance (doc string and the TRIBUO_PROVENANCE
   * metadata entry) carries a fixed training time and no Java version, OS or architecture, so the file is
   * byte-for-byte reproducible.
   */
  private static void writeOnnx(LinearSGDModel model, String version, Path file) throws IOException {
    long onnxVersion = version.matches("\\d{1,18}") ? Long.parseLong(version) : 1;
    OnnxMl.ModelProto proto = model.exportONNXModel("io.churnserving", onnxVersion);
    ModelProvenance actual = model.getProvenance();
    ModelProvenance fixed = new ModelProvenance(actual.getClassName(), FIXED_TIME, actual.getDatasetProvenance(),
        actual.getTrainerProvenance(), Map.of(), false);
    OnnxMl.ModelProto.Builder builder = proto.toBuilder()
        .setDocString(proto.getDocString().replace(actual.toString(), fixed.toString()))
        .clearMetadataProps();
    for (OnnxMl.StringStringEntryProto entry : proto.getMetadataPropsList()) {
      builder.addMetadataProps(entry.getKey().equals(ONNXExportable.PROVENANCE_METADATA_FIELD)
          ? entry.toBuilder().setValue(model.serializeProvenance(fixed)).build() : entry);
    }
    try (OutputStream os = Files.newOutputStream(file)) {
      builder.build().writeTo(os);
    }
  }

  /** Mean and population standard deviation of each numeric field on the training rows, in the input set's order. */
  private static double[][] standardisation(ChurnInputs inputs, List<ChurnRow> rows) {
    List<InputField> numeric = inputs.numericFields();
    double[][] stats = new double[2][numeric.size()];
    for (ChurnRow r : rows) {
      for (int i = 0; i < numeric.size(); i++) {
        stats[0][i] += r.number(numeric.get(i).name());
      }
    }
    for (int i = 0; i < numeric.size(); i++) {
      stats[0][i] /= rows.size();
    }
    for (ChurnRow r : rows) {
      for (int i = 0; i < numeric.size(); i++) {
        double v = r.number(numeric.get(i).name());
        stats[1][i] += (v - stats[0][i]) * (v - stats[0][i]);
      }
    }
    for (int i = 0; i < numeric.size(); i++) {
      stats[1][i] = Math.sqrt(stats[1][i] / rows.size());
      if (!(stats[1][i] > 0)) {
        throw new IllegalArgumentException(numeric.get(i).name() + " is constant in the training rows; it cannot be"
            + " standardised");
      }
    }
    return stats;
  }

  /**
   * The command that makes this version's files, as the metadata records it: the arguments given, except where the
   * files were written, which does not change them.
   */
  private static String command(Map<String, String> opts) {
    List<String> args = new ArrayList<>();
    opts.forEach((k, v) -> {
      if (!k.equals("out")) {
        args.add("--" + k + " " + v);
      }
    });
    return "mvn -q -Ptrain compile exec:java" + (args.isEmpty() ? "" : " -Dexec.args=\"" + String.join(" ", args)
        + "\"");
  }

  private static Map<String, Object> metadata(ChurnInputs inputs, LinearSGDModel model, double[][] stats,
                                              String version, String command, String trainer, String data,
                                              int trainRows, int heldoutRows, double auc, double accuracy) {
    List<String> numeric = inputs.numericFields().stream().map(InputField::name).toList();
    // Tribuo orders columns (and labels) by its own ids: read them, never assume.
    List<Map<String, Object>> columns = new ArrayList<>();
    for (String name : columnNames(model)) {
      Map<String, Object> column = new LinkedHashMap<>();
      column.put("name", name);
      int eq = name.indexOf('=');
      if (eq > 0) {
        column.put("field", name.substring(0, eq));
        column.put("equals", name.substring(eq + 1));
      } else {
        int i = numeric.indexOf(name);
        column.put("field", name);
        column.put("mean", stats[0][i]);
        column.put("std", stats[1][i]);
      }
      columns.add(column);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "churn");
    m.put("version", version);
    m.put("description", inputs.modelDescription());
    m.put("format", "onnx");
    m.put("file", "model.onnx");
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("tensor", "input");
    input.put("columns", columns);
    m.put("input", input);
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("tensor", "output");
    output.put("labels", labelOrder(model));
    output.put("positive_label", "true");
    output.put("meaning", "Softmax probabilities, one column per label in 'labels' order; churn_probability is the "
        + "column of positive_label.");
    m.put("output", output);
    Map<String, Object> tiers = new LinkedHashMap<>();
    tiers.put("medium", 0.3);
    tiers.put("high", 0.6);
    Map<String, Object> thresholds = new LinkedHashMap<>();
    thresholds.put("churn_prediction", 0.5);
    thresholds.put("risk_tiers", tiers);
    m.put("thresholds", thresholds);
    Map<String, String> texts = new LinkedHashMap<>();
    texts.put("low", "Standard engagement — no action required");
    texts.put("medium", "Proactive check-in call within 7 days");
    texts.put("high", "Immediate retention offer — 20% discount");
    m.put("recommendations", texts);
    Map<String, Object> heldout = new LinkedHashMap<>();
    heldout.put("rows", heldoutRows);
    heldout.put("auc", round(auc));
    heldout.put("accuracy", round(accuracy));
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("command", command);
    training.put("trainer", trainer + "; numeric columns standardised with the training rows' mean and population "
        + "std");
    training.put("data", data);
    training.put("train_rows", trainRows);
    training.put("heldout", heldout);
    m.put("training", training);
    return m;
  }

  private static boolean[] truth(List<ChurnRow> rows) {
    boolean[] truth = new boolean[rows.size()];
    for (int i = 0; i < truth.length; i++) {
      truth[i] = rows.get(i).churned();
    }
    return truth;
  }

  /** Rank-based area under the ROC curve (Mann-Whitney U; ties share their average rank). */
  static double auc(double[] scores, boolean[] truth) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
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

  private static List<ChurnRow> readCsv(Path file, ChurnInputs inputs) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    String header = lines.isEmpty() ? "" : lines.get(0).replace("\uFEFF", "").trim();
    if (!header.equals(ChurnRow.csvHeader(inputs))) {
      throw new IllegalArgumentException(file + " must start with the header of input set " + inputs.id() + ": "
          + ChurnRow.csvHeader(inputs));
    }
    List<ChurnRow> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        rows.add(ChurnRow.fromCsv(inputs, lines.get(i), i + 1));
      }
    }
    return rows;
  }

  private static void writeCsv(Path file, ChurnInputs inputs, List<ChurnRow> rows) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(ChurnRow.csvHeader(inputs));
    rows.forEach(r -> lines.add(r.toCsv(inputs)));
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  private static Map<String, String> options(String[] args) {
    List<String> known = List.of("csv", "out", "version", "inputs", "seed", "epochs", "write-csv");
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || !known.contains(args[i].substring(2)) || i + 1 >= args.length) {
        throw new IllegalArgumentException("bad argument '" + args[i] + "'; " + USAGE);
      }
      opts.put(args[i].substring(2), args[++i]);
    }
    return opts;
  }
}
