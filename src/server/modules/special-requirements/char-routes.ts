import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParam } from '../../../common/schemas/platform.js';
import {
  characteristicBody,
  characteristicListSchema,
  characteristicPartsSchema,
  characteristicSchema,
  characteristicsQuery,
  symbolBody,
  symbolListSchema,
  symbolSchema,
  updateCharacteristicBody,
  updateSymbolBody,
} from '../../../common/schemas/special-requirements.js';
import { DomainError } from '../../platform/errors.js';
import { attachment } from '../../platform/http.js';
import type { BlobStore } from '../../platform/storage.js';
import { multipartFile, rawFile } from '../../platform/uploads.js';
import { fileDay, sendXlsx } from '../../platform/xlsx.js';
import { srReader } from './access.js';
import { characteristicsXlsx, loadCharExport } from './char-export.js';
import { characteristicsPdf } from './char-pdf.js';
import * as chars from './characteristics.js';
import * as symbols from './symbols.js';

// 特殊特性与特殊特性符号 (R-S4): a customer's symbol set and its images, the characteristics per
// part number, and the list as .xlsx and PDF with the symbols drawn.
// Registered as `api.register(srCharRoutes, { store: new BlobStore(config.dataDir) })`.

const tags = ['顾客特殊要求 Special requirements'];

/** An uploaded SVG is served so that nothing in it can run, even opened on its own. */
const IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

const exportQuery = z.object({ partNumber: z.string().trim().max(100).optional() });

/** Reads an upload into memory up to the limit (symbol images are small). */
async function readUpload(source: Readable, truncated?: () => boolean): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const tooLarge = () => new DomainError('file_too_large', 413, { limit: '512 KB' }, 'file');
  try {
    for await (const chunk of source) {
      size += (chunk as Buffer).length;
      if (size > symbols.SYMBOL_IMAGE_MAX_BYTES) {
        source.destroy();
        throw tooLarge();
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError('upload_malformed', 400, {}, 'file');
  }
  if (truncated?.()) throw tooLarge();
  if (size === 0) throw new DomainError('file_empty', 400, {}, 'file');
  return Buffer.concat(chunks);
}

function sendPdf(reply: FastifyReply, bytes: Uint8Array, name: string, asciiName: string) {
  return reply
    .type('application/pdf')
    .header('content-disposition', attachment(name, asciiName))
    .send(Buffer.from(bytes));
}

export const srCharRoutes: FastifyPluginAsyncZod<{ store: BlobStore }> = async (app, opts) => {
  const { store } = opts;
  // A symbol image is sent as the body itself (any of these types), or as a multipart form.
  for (const type of ['application/octet-stream', 'image/png', 'image/svg+xml'])
    app.addContentTypeParser(type, (_req, payload, done) => done(null, payload));

  // Symbols ----------------------------------------------------------------------------------
  app.get(
    '/customers/:id/sr-symbols',
    {
      schema: {
        tags,
        summary: '顾客的特殊特性符号（首次使用时建立默认符号） The customer’s symbols',
        params: idParam,
        response: { 200: symbolListSchema },
      },
    },
    async (req) => symbols.listSymbols(req.ctx, req.params.id),
  );
  app.post(
    '/customers/:id/sr-symbols',
    {
      schema: {
        tags,
        summary: '新增特殊特性符号 Add a symbol',
        params: idParam,
        body: symbolBody,
        response: { 201: symbolSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await symbols.createSymbol(req.ctx, req.params.id, req.body)),
  );
  app.patch(
    '/sr-symbols/:id',
    {
      schema: {
        tags,
        summary: '修改特殊特性符号 Change a symbol',
        params: idParam,
        body: updateSymbolBody,
        response: { 200: symbolSchema },
      },
    },
    async (req) => symbols.updateSymbol(req.ctx, req.params.id, req.body),
  );
  app.delete(
    '/sr-symbols/:id',
    {
      schema: {
        tags,
        summary: '停用特殊特性符号 Deactivate a symbol',
        params: idParam,
        response: { 200: symbolSchema },
      },
    },
    async (req) => symbols.deactivateSymbol(req.ctx, req.params.id),
  );
  app.put(
    '/sr-symbols/:id/image',
    {
      schema: {
        tags,
        summary:
          '上传顾客的符号图片（SVG 或 PNG，至多 512 KB；请求体为文件本身，或 multipart 字段 file） Upload the customer’s image',
        params: idParam,
        response: { 200: symbolSchema },
      },
    },
    async (req) => {
      let bytes: Buffer;
      if (req.isMultipart()) {
        const file = await multipartFile(req, symbols.SYMBOL_IMAGE_MAX_BYTES);
        bytes = await readUpload(file.file, () => file.file.truncated);
      } else {
        const stream = rawFile(req);
        if (Number(req.headers['content-length'] ?? 0) > symbols.SYMBOL_IMAGE_MAX_BYTES)
          throw new DomainError('file_too_large', 413, { limit: '512 KB' }, 'file');
        bytes = await readUpload(stream);
      }
      return symbols.setSymbolImage(req.ctx, store, req.params.id, bytes);
    },
  );
  app.delete(
    '/sr-symbols/:id/image',
    {
      schema: {
        tags,
        summary: '删除上传的图片，改用系统绘制的图形 Back to the drawn shape',
        params: idParam,
        response: { 200: symbolSchema },
      },
    },
    async (req) => symbols.clearSymbolImage(req.ctx, req.params.id),
  );
  app.get(
    '/sr-symbols/:id/image',
    {
      schema: {
        tags,
        summary: '符号图片（上传的图片，或系统绘制的 SVG） The symbol image',
        params: idParam,
        querystring: z.object({ v: z.string().max(100).optional() }),
      },
    },
    async (req, reply) => {
      const picture = await symbols.symbolImage(req.ctx, store, req.params.id);
      return reply
        .type(picture.mime)
        .header('content-security-policy', IMAGE_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-cache')
        .header('content-disposition', 'inline')
        .send(picture.body);
    },
  );

  // Characteristics --------------------------------------------------------------------------
  app.get(
    '/customers/:id/characteristics',
    {
      schema: {
        tags,
        summary: '特殊特性清单（按零件号） Special characteristics',
        params: idParam,
        querystring: characteristicsQuery,
        response: { 200: characteristicListSchema },
      },
    },
    async (req) => chars.listCharacteristics(req.ctx, req.params.id, req.query),
  );
  app.get(
    '/customers/:id/characteristics/parts',
    {
      schema: {
        tags,
        summary: '有特殊特性的零件号 Part numbers with characteristics',
        params: idParam,
        response: { 200: characteristicPartsSchema },
      },
    },
    async (req) => chars.characteristicParts(req.ctx, req.params.id),
  );
  app.post(
    '/customers/:id/characteristics',
    {
      schema: {
        tags,
        summary: '新增特殊特性 Add a characteristic',
        params: idParam,
        body: characteristicBody,
        response: { 201: characteristicSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await chars.createCharacteristic(req.ctx, req.params.id, req.body)),
  );
  app.get(
    '/characteristics/:id',
    {
      schema: {
        tags,
        summary: '一项特殊特性 A characteristic',
        params: idParam,
        response: { 200: characteristicSchema },
      },
    },
    async (req) => chars.getCharacteristic(req.ctx, req.params.id),
  );
  app.patch(
    '/characteristics/:id',
    {
      schema: {
        tags,
        summary: '修改特殊特性 Change a characteristic',
        params: idParam,
        body: updateCharacteristicBody,
        response: { 200: characteristicSchema },
      },
    },
    async (req) => chars.updateCharacteristic(req.ctx, req.params.id, req.body),
  );
  app.delete(
    '/characteristics/:id',
    { schema: { tags, summary: '删除特殊特性（停用） Remove a characteristic', params: idParam } },
    async (req, reply) => {
      await chars.deleteCharacteristic(req.ctx, req.params.id);
      return reply.status(204).send();
    },
  );
  app.get(
    '/customers/:id/characteristics/export.xlsx',
    {
      schema: {
        tags,
        summary: '导出特殊特性清单（Excel，含符号图片） Export with the symbols',
        params: idParam,
        querystring: exportQuery,
      },
    },
    async (req, reply) => {
      const x = await loadCharExport(req.ctx, store, req.params.id, req.query.partNumber, 'xlsx');
      // The requirement column stays empty where the reader may not see the requirement.
      await chars.hideUnseenRequirements(await srReader(req.ctx), x.rows);
      const body = await characteristicsXlsx(x);
      const day = fileDay(req.ctx.now());
      const part = x.partNumber ? `-${x.partNumber}` : '';
      return sendXlsx(
        reply,
        body,
        `特殊特性清单-${x.archive.archive_code}${part}-${day}.xlsx`,
        `characteristics-${day}.xlsx`,
      );
    },
  );
  app.get(
    '/customers/:id/characteristics/export.pdf',
    {
      schema: {
        tags,
        summary: '打印特殊特性清单（PDF，含符号） Printable list with the symbols',
        params: idParam,
        querystring: exportQuery,
      },
    },
    async (req, reply) => {
      const x = await loadCharExport(req.ctx, store, req.params.id, req.query.partNumber, 'pdf');
      // The requirement column stays empty where the reader may not see the requirement.
      await chars.hideUnseenRequirements(await srReader(req.ctx), x.rows);
      const bytes = await characteristicsPdf(x);
      const day = fileDay(req.ctx.now());
      const part = x.partNumber ? `-${x.partNumber}` : '';
      return sendPdf(
        reply,
        bytes,
        `特殊特性清单-${x.archive.archive_code}${part}-${day}.pdf`,
        `characteristics-${day}.pdf`,
      );
    },
  );
};
