// The layering of src as an allow-list, in the manner of VS Code's layering rule: each folder (a "layer") names the
// layers it may import and the packages it may use. Every way a module names another is checked: import, export
// ... from, import(), `import("x").T` types and `import x = require()`. A file in no layer is an error, so a new
// folder must say where it stands.
import { builtinModules } from "node:module";
import path from "node:path";

const BUILTINS = new Set(builtinModules);

/** "@scope/name/sub" -> "@scope/name", "name/sub" -> "name". */
const packageOf = (specifier) => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");

const isBuiltin = (specifier) => specifier.startsWith("node:") || BUILTINS.has(packageOf(specifier));

/** The layer a path under src belongs to: the longest layer name that is a folder prefix of it. */
function layerOf(layers, fromSrc) {
  const posix = fromSrc.split(path.sep).join("/");
  return Object.keys(layers)
    .filter((name) => posix.startsWith(`${name}/`))
    .sort((a, b) => b.length - a.length)[0];
}

/** `core/*` allows every layer under core. */
const allows = (allowed, layer) =>
  allowed.some((entry) => (entry.endsWith("/*") ? layer.startsWith(entry.slice(0, -1)) : entry === layer));

export default {
  meta: {
    type: "problem",
    docs: { description: "Each folder of src imports only the folders and packages its layer allows." },
    schema: [{
      type: "object",
      properties: {
        src: { type: "string" },
        layers: {
          type: "object",
          additionalProperties: {
            type: "object",
            properties: {
              imports: { type: "array", items: { type: "string" } },
              packages: { type: "array", items: { type: "string" } },
              node: { type: "boolean" },
              why: { type: "string" },
            },
            required: ["imports", "packages", "node", "why"],
            additionalProperties: false,
          },
        },
      },
      required: ["src", "layers"],
      additionalProperties: false,
    }],
    messages: {
      noLayer: "{{file}} is in no layer: add its folder to the layers in eslint.config.js, with what it may import.",
      layer: "{{from}} may not import {{to}} ({{specifier}}). {{why}}",
      outside: "{{from}} may not import {{specifier}}, which is outside src. {{why}}",
      builtin: "{{from}} may not use Node's {{specifier}}. {{why}}",
      package: "{{from}} may not use the package {{pkg}}. {{why}}",
      computed: "{{from}} imports a module whose name is computed, which the layering cannot check: name it literally.",
    },
  },
  create(context) {
    const { src, layers } = context.options[0];
    const srcRoot = path.resolve(context.cwd, src);
    const file = context.filename;
    const fromSrc = path.relative(srcRoot, file);
    if (fromSrc.startsWith("..") || path.isAbsolute(fromSrc)) return {};
    const from = layerOf(layers, fromSrc);
    if (!from) {
      return { Program: (node) => context.report({ node, messageId: "noLayer", data: { file: path.join(src, fromSrc) } }) };
    }
    const rule = layers[from];

    function check(node, specifier) {
      const data = { from, specifier, why: rule.why };
      if (specifier.startsWith(".")) {
        const target = path.relative(srcRoot, path.resolve(path.dirname(file), specifier));
        if (target.startsWith("..") || path.isAbsolute(target)) return context.report({ node, messageId: "outside", data });
        const to = layerOf(layers, target);
        if (to === from) return undefined;
        if (!to || !allows(rule.imports, to)) context.report({ node, messageId: "layer", data: { ...data, to: to ?? target } });
        return undefined;
      }
      if (isBuiltin(specifier)) {
        if (!rule.node) context.report({ node, messageId: "builtin", data });
        return undefined;
      }
      const pkg = packageOf(specifier);
      if (!rule.packages.includes(pkg)) context.report({ node, messageId: "package", data: { ...data, pkg } });
      return undefined;
    }

    function checkSource(node, source) {
      if (source?.type === "Literal" && typeof source.value === "string") return check(node, source.value);
      if (source?.type === "TemplateLiteral" && source.expressions.length === 0) return check(node, source.quasis[0].value.cooked);
      return context.report({ node, messageId: "computed", data: { from } });
    }

    return {
      ImportDeclaration: (node) => checkSource(node, node.source),
      ExportNamedDeclaration: (node) => node.source && checkSource(node, node.source),
      ExportAllDeclaration: (node) => checkSource(node, node.source),
      ImportExpression: (node) => checkSource(node, node.source),
      TSImportType: (node) => checkSource(node, node.source),
      TSExternalModuleReference: (node) => checkSource(node, node.expression),
    };
  },
};
