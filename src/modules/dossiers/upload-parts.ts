// Reading an uploaded file part. The multipart parser stops reading at the size limit and marks the part truncated
// (it does not throw, so the form's other fields still arrive and the page can say what went wrong next to the
// field). A truncated part is handed on one byte longer than the limit, so the one size check of the upload
// (`keepUpload`: larger than the limit → UPLOAD_TOO_LARGE, nothing stored) refuses it with the limit in its message.
import type { MultipartFile } from '@fastify/multipart';

export async function readFilePart(part: MultipartFile): Promise<Buffer> {
  const bytes = await part.toBuffer();
  return part.file.truncated ? Buffer.concat([bytes, Buffer.alloc(1)]) : bytes;
}
