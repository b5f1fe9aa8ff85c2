// DOM built from elements and text nodes: user data is never parsed as HTML.
//   el('td', { class: 'num', dataset: { sector: 2 }, style: { '--c': color } }, 'S3', child, [more, children])

const SVG_NS = 'http://www.w3.org/2000/svg';

// Set as DOM properties (not attributes) so that they mean the live state.
const PROPERTIES = new Set(['value', 'disabled', 'hidden', 'htmlFor', 'title', 'id', 'type', 'lang']);

function apply(node, attrs, svg) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') {
      const names = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
      if (names) node.setAttribute('class', names);
    } else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) node.dataset[k] = String(v);
    } else if (key === 'style') {
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined || v === null) continue;
        if (k.startsWith('--')) node.style.setProperty(k, String(v));
        else node.style[k] = String(v);
      }
    } else if (key === 'on') {
      for (const [type, fn] of Object.entries(value)) node.addEventListener(type, fn);
    } else if (!svg && PROPERTIES.has(key)) {
      node[key] = value;
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false || child === '') continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** An HTML element with attributes and children (strings become text nodes). */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  apply(node, attrs, false);
  return append(node, children);
}

/** An SVG element (legend swatches). */
export function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  apply(node, attrs, true);
  return append(node, children);
}

/** Replaces the children of a node. */
export function fill(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

export const byId = (id) => document.getElementById(id);
