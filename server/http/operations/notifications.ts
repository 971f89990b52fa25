import {
  createEndpoint,
  getDelivery,
  listDeliveries,
  listEndpoints,
  removeEndpoint,
  replayDelivery,
} from '../../domain/webhooks-out/endpoints';
import { getCertificateMail, setCertificateMail } from '../../domain/mail/certificate-mail';
import { issueMail, resendMessage } from '../../domain/mail/messages';
import { previewCertificateMail } from '../../domain/mail/preview';
import { getSmtpSettings, setSmtpSettings } from '../../domain/mail/smtp-settings';
import { notificationDeclarations } from '../contract/notifications';
import { bindOperations, type Operation } from '../operation';
import { actorOf } from './util';

export const notificationOperations: Operation[] = bindOperations(notificationDeclarations, {
  createWebhookReceiver: {
    errors: ['RECEIVER_INVALID', 'RECEIVERS_TOO_MANY'],
    handler: async ({ services, actor, body }) => ({ status: 201, json: await createEndpoint(services, actorOf(actor), body) }),
  },
  listWebhookReceivers: {
    handler: async ({ services, actor }) => ({ json: await listEndpoints(services, actorOf(actor)) }),
  },
  deleteWebhookReceiver: {
    errors: ['RECEIVER_NOT_FOUND'],
    handler: async ({ services, actor, params }) => {
      await removeEndpoint(services, actorOf(actor), params.id);
      return { json: { ok: true as const } };
    },
  },
  listWebhookDeliveries: {
    errors: ['RECEIVER_NOT_FOUND'],
    handler: async ({ services, actor, params }) => ({ json: await listDeliveries(services, actorOf(actor), params.id) }),
  },
  getWebhookDelivery: {
    errors: ['DELIVERY_NOT_FOUND'],
    handler: async ({ services, actor, params }) => ({ json: await getDelivery(services, actorOf(actor), params.id) }),
  },
  replayWebhookDelivery: {
    errors: ['DELIVERY_NOT_FOUND', 'DELIVERY_ALREADY_ACKNOWLEDGED', 'DELIVERY_IN_PROGRESS'],
    handler: async ({ services, actor, params }) => ({ json: await replayDelivery(services, actorOf(actor), params.id) }),
  },
  getMailSettings: {
    handler: async ({ services, actor }) => ({ json: { settings: await getSmtpSettings(services, actorOf(actor)) } }),
  },
  setMailSettings: {
    errors: ['MAIL_SETTINGS_INVALID'],
    handler: async ({ services, actor, body }) => ({ json: { settings: await setSmtpSettings(services, actorOf(actor), body) } }),
  },
  getCertificateMail: {
    errors: ['CERTIFICATE_NOT_FOUND'],
    handler: async ({ services, actor, params }) => ({ json: await getCertificateMail(services, actorOf(actor), params.id) }),
  },
  setCertificateMail: {
    errors: ['CERTIFICATE_NOT_FOUND', 'MAIL_SETTINGS_INVALID'],
    handler: async ({ services, actor, params, body }) => ({ json: await setCertificateMail(services, actorOf(actor), params.id, body) }),
  },
  previewCertificateMail: {
    errors: ['CERTIFICATE_NOT_FOUND', 'MAIL_SETTINGS_INVALID', 'PERSONA_UNKNOWN'],
    handler: async ({ services, actor, params, body, locale }) => ({
      json: await previewCertificateMail(services, actorOf(actor), params.id, body, await locale()),
    }),
  },
  issueMail: {
    errors: ['ISSUE_NOT_FOUND'],
    handler: async ({ services, actor, params }) => ({ json: await issueMail(services, actorOf(actor), params.code) }),
  },
  resendMail: {
    errors: ['MAIL_MESSAGE_NOT_FOUND', 'MAIL_MESSAGE_IN_PROGRESS'],
    handler: async ({ services, actor, params }) => ({ json: await resendMessage(services, actorOf(actor), params.id) }),
  },
});
