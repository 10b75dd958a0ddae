/**
 * The local carrier's Content API (content.twilio.com): the WhatsApp approval of a template, as
 * `GET /v1/Content/{ContentSid}/ApprovalRequests` answers it, so a template's status is read
 * locally through the real twilio client (docs/rules.md, "WhatsApp templates"). Every `HX` + 32
 * hex SID is approved, but two fixed ones: REJECTED_CONTENT_SID and PENDING_CONTENT_SID; any
 * other SID is Twilio's 404.
 */

export const REJECTED_CONTENT_SID = 'HX00000000000000000000000000000001';
export const PENDING_CONTENT_SID = 'HX00000000000000000000000000000002';

const APPROVAL_PATH = /^\/v1\/Content\/([^/]+)\/ApprovalRequests$/;
const CONTENT_SID = /^HX[0-9a-fA-F]{32}$/;

/** Whether a request path is the Content API's (the carrier's other paths are the Messages API's). */
export const isContentApiPath = (path: string): boolean => APPROVAL_PATH.test(path);

/** Twilio's answer to `GET /v1/Content/{sid}/ApprovalRequests` for this account. */
export function approvalAnswer(accountSid: string, path: string): { status: number; body: unknown } {
  const sid = APPROVAL_PATH.exec(path)?.[1] ?? '';
  if (!CONTENT_SID.test(sid))
    return {
      status: 404,
      body: {
        code: 20404,
        message: `The requested resource /Content/${sid}/ApprovalRequests was not found`,
        more_info: 'https://www.twilio.com/docs/errors/20404',
        status: 404,
      },
    };
  const status = sid === REJECTED_CONTENT_SID ? 'rejected' : sid === PENDING_CONTENT_SID ? 'pending' : 'approved';
  return {
    status: 200,
    body: {
      sid,
      account_sid: accountSid,
      url: `https://content.twilio.com/v1/Content/${sid}/ApprovalRequests`,
      whatsapp: {
        type: 'whatsapp',
        status,
        rejection_reason: status === 'rejected' ? 'The template does not follow WhatsApp Business policy.' : '',
      },
    },
  };
}
