// A customer's own symbol image as SVG (R-S4) is accepted only when it is plainly a drawing:
// SVG elements and attributes from an allowlist (plus the inert metadata Inkscape and
// Illustrator leave), no script, no event handler, no reference outside the document (links,
// images other than embedded PNG/JPEG, url(...) to anything but #fragments, @import), no
// DOCTYPE or entities, no CDATA, no processing instruction but the XML declaration. What does
// not pass is refused, never rewritten: the stored file is what the customer sent. It is
// served with a Content-Security-Policy that forbids scripts anyway (defence in depth).

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
/** Namespaces of editor metadata that no renderer acts on. */
const INERT_NS = new Set([
  'http://www.inkscape.org/namespaces/inkscape',
  'http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  'http://creativecommons.org/ns#',
  'http://purl.org/dc/elements/1.1/',
  'http://purl.org/dc/terms/',
  'http://ns.adobe.com/AdobeIllustrator/10.0/',
  'http://ns.adobe.com/Graphs/1.0/',
  'http://ns.adobe.com/SaveForWeb/1.0/',
  'http://ns.adobe.com/Extensibility/1.0/',
  'http://ns.adobe.com/Variables/1.0/',
]);
const SVG_ELEMENTS = new Set([
  'svg',
  'g',
  'defs',
  'title',
  'desc',
  'metadata',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'linearGradient',
  'radialGradient',
  'stop',
  'clipPath',
  'mask',
  'pattern',
  'symbol',
  'use',
  'style',
  'image',
]);

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Attribute or text with its entities resolved; null when it names an entity XML does not predefine. */
function decode(value: string): string | null {
  let bad = false;
  const out = value.replace(/&([^;\s&]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) {
      bad = true;
      return '';
    }
    if (name in PREDEFINED) return PREDEFINED[name] as string;
    const num = /^#(\d+)$/.exec(name) ?? null;
    const hex = /^#x([0-9a-fA-F]+)$/.exec(name) ?? null;
    const cp = num ? Number(num[1]) : hex ? Number.parseInt(hex[1] as string, 16) : Number.NaN;
    if (!Number.isInteger(cp) || cp > 0x10ffff) {
      bad = true;
      return '';
    }
    return String.fromCodePoint(cp);
  });
  return bad ? null : out;
}

/** Why a value (attribute, style text) reaches outside the document or runs code, or null. */
function valueProblem(value: string): string | null {
  // CSS escapes can spell url( or a scheme without the letters; drawings have no use for them.
  if (value.includes('\\')) return 'CSS 转义字符';
  // Browsers ignore white space and control characters inside a scheme ("java\nscript:").
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const flat = value.toLowerCase().replace(/[\s\u0000-\u001f]/g, '');
  for (const bad of ['javascript:', 'vbscript:', 'data:text', 'data:application', '@import', 'expression(']) {
    if (flat.includes(bad)) return bad.replace(/[:(]$/, '');
  }
  for (const m of flat.matchAll(/url\(/g)) {
    const rest = flat.slice((m.index ?? 0) + 4).replace(/^["']/, '');
    if (!rest.startsWith('#')) return 'url() 外部引用';
  }
  return null;
}

const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?$/;
const ATTRIBUTE = /\s+([^\s=/>]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;

interface Open {
  local: string;
  qname: string;
  ns: Map<string, string>;
}

/**
 * Why the SVG text is refused (a short reason, in Chinese, for the 400 message), or null if it
 * is a plain drawing.
 */
export function svgProblem(input: string): string | null {
  const s = input.replace(/^\uFEFF/, '');
  const stack: Open[] = [];
  let rootSeen = false;
  let rootClosed = false;
  let i = 0;
  let styleText: string | null = null;
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const text = s.slice(i, lt < 0 ? s.length : lt);
    if (text.trim()) {
      if (!stack.length) return '根元素之外有内容';
      const decoded = decode(text);
      if (decoded === null) return '未定义的实体';
      if (styleText !== null) styleText += decoded;
    }
    if (lt < 0) break;
    if (s.startsWith('<?', lt)) {
      const end = s.indexOf('?>', lt);
      if (end < 0) return '格式错误';
      if (!/^<\?xml\s[^>]*$/.test(s.slice(lt, end)) || rootSeen) return '处理指令';
      i = end + 2;
    } else if (s.startsWith('<!--', lt)) {
      const end = s.indexOf('-->', lt + 4);
      if (end < 0) return '格式错误';
      i = end + 3;
    } else if (s.startsWith('<![CDATA[', lt)) {
      return 'CDATA';
    } else if (s.startsWith('<!', lt)) {
      return 'DOCTYPE 或实体声明';
    } else if (s.startsWith('</', lt)) {
      const end = s.indexOf('>', lt);
      if (end < 0) return '格式错误';
      const qname = s.slice(lt + 2, end).trim();
      const open = stack.pop();
      if (!open || open.qname !== qname) return '标签不配对';
      if (open.local === 'style' && styleText !== null) {
        const bad = valueProblem(styleText);
        if (bad) return `样式中的 ${bad}`;
        styleText = null;
      }
      if (!stack.length) rootClosed = true;
      i = end + 1;
    } else {
      const nameMatch = /^<([^\s/>]+)/.exec(s.slice(lt, lt + 200));
      const qname = nameMatch?.[1] ?? '';
      if (!NAME.test(qname)) return '格式错误';
      if (rootClosed) return '根元素之外有内容';
      let j = lt + 1 + qname.length;
      const attributes: [string, string][] = [];
      for (;;) {
        ATTRIBUTE.lastIndex = j;
        const m = ATTRIBUTE.exec(s);
        if (!m) break;
        const value = decode(m[2] ?? m[3] ?? '');
        if (value === null) return '未定义的实体';
        attributes.push([m[1] as string, value]);
        j = ATTRIBUTE.lastIndex;
      }
      const close = /^\s*(\/?)>/.exec(s.slice(j, j + 200));
      if (!close) return '格式错误';
      const selfClosing = close[1] === '/';
      i = j + close[0].length;

      const ns = new Map(stack.at(-1)?.ns ?? []);
      for (const [name, value] of attributes) {
        if (name === 'xmlns') ns.set('', value);
        else if (name.startsWith('xmlns:')) ns.set(name.slice(6), value);
      }
      const [prefix, local] = qname.includes(':') ? qname.split(':') : ['', qname];
      const elementNs = ns.get(prefix as string);
      if (prefix && elementNs === undefined) return `未声明的前缀 ${prefix}`;
      const inert = elementNs !== undefined && INERT_NS.has(elementNs);
      if (!inert && (elementNs !== SVG_NS || !SVG_ELEMENTS.has(local as string)))
        return `不允许的元素 <${qname}>`;
      if (!stack.length) {
        if (rootSeen || local !== 'svg' || elementNs !== SVG_NS) return '根元素须为 SVG 命名空间中的 <svg>';
        rootSeen = true;
      }
      const seen = new Set<string>();
      for (const [name, value] of attributes) {
        if (seen.has(name)) return '属性重复';
        seen.add(name);
        if (name === 'xmlns' || name.startsWith('xmlns:')) {
          // Declaring a namespace is harmless; what is used from it is checked.
          continue;
        }
        const [aPrefix, aLocal] = name.includes(':') ? name.split(':') : ['', name];
        const attrNs = aPrefix === 'xml' ? XML_NS : aPrefix ? ns.get(aPrefix as string) : null;
        if (aPrefix && attrNs === undefined) return `未声明的前缀 ${aPrefix}`;
        if (attrNs && attrNs !== XLINK_NS && attrNs !== XML_NS && attrNs !== SVG_NS && !INERT_NS.has(attrNs))
          return `不允许的属性 ${name}`;
        const lower = (aLocal as string).toLowerCase();
        if (lower.startsWith('on')) return `事件处理属性 ${name}`;
        if (lower === 'href' || lower === 'src') {
          const v = value.trim();
          const embedded = local === 'image' && /^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=\s]*$/.test(v);
          if (!v.startsWith('#') && !embedded) return `外部引用 ${name}`;
        }
        const bad = valueProblem(value);
        if (bad) return `属性 ${name} 中的 ${bad}`;
      }
      if (!selfClosing) {
        stack.push({ local: local as string, qname, ns });
        if (local === 'style') styleText = '';
      } else if (!stack.length) rootClosed = true;
    }
  }
  if (!rootSeen) return '没有 <svg> 根元素';
  if (stack.length) return '标签未闭合';
  return null;
}
