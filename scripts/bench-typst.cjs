// bench-typst.cjs: typst (the @myriaddreamin/typst-ts-node-compiler
// package) typesets the 2-page letter's text, warm, in one process; for
// scripts/bench-anchors.sh.
//
//   TYPST_TS_MODULE=/path/to/node_modules/@myriaddreamin/typst-ts-node-compiler \
//     node scripts/bench-typst.cjs letter.txt fontdir runs out.pdf
"use strict";
const fs = require("fs");
const { NodeCompiler } = require(process.env.TYPST_TS_MODULE);

const [textFile, fontDir, runsArg, outPdf] = process.argv.slice(2);
const runs = Number(runsArg || 5);
const body = fs.readFileSync(textFile, "utf8");

// The GB/T 9704 page of render: A4, type area 156 x 225 mm, 16 pt FangSong,
// 22 lines a page, paragraphs indented two characters, justified.
const src = `#set page(paper: "a4", margin: (top: 37mm, bottom: 35mm, left: 28mm, right: 26mm),
  numbering: "— 1 —", number-align: right)
#set text(font: ("FandolFang", "Noto Serif SC"), size: 16pt, lang: "zh", region: "cn", top-edge: "ascender", bottom-edge: "descender")
#set par(justify: true, first-line-indent: 2em, leading: 4.58mm, spacing: 4.58mm)
#for p in sys.inputs.body.split("\\n\\n") { p; parbreak() }
#align(right)[#sys.inputs.n]
`;

function render(compiler, i) {
  return compiler.pdf({ mainFileContent: src, inputs: { body, n: String(i) } });
}

const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;
let t = process.hrtime.bigint();
const compiler = NodeCompiler.create({ workspace: fontDir, fontArgs: [{ fontPaths: [fontDir] }] });
const first = render(compiler, 0);
console.log(`typst cold (compiler start, fonts, first letter): ${ms(t).toFixed(1)} ms, ${first.length} bytes`);
if (outPdf) fs.writeFileSync(outPdf, first);
for (let i = 1; i <= 5; i++) render(compiler, i); // warm up
for (let r = 0; r < runs; r++) {
  const n = 20;
  t = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) render(compiler, 1000 * r + i); // each letter a new input
  const c = process.cpuUsage(cpu);
  console.log(`typst warm: ${(ms(t) / n).toFixed(2)} ms/letter wall, ${((c.user + c.system) / 1000 / n).toFixed(2)} ms/letter CPU (${n} letters)`);
}
