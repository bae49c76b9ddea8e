import { useGetResourceLabel, useResourceContext } from 'react-admin';
import { CREDENTIAL_RESOURCES, type CredentialResource } from '../dataProvider.ts';

const isCredentialResource = (resource: string | undefined): resource is CredentialResource =>
  (CREDENTIAL_RESOURCES as readonly (string | undefined)[]).includes(resource);

/**
 * The credential resource of the page (write keys or service tokens, which share these components) and what
 * one of them is called, for messages: `name` to start a sentence ("Write key"), `noun` inside one.
 */
export function useCredentialResource() {
  const resource = useResourceContext();
  const getResourceLabel = useGetResourceLabel();
  if (!isCredentialResource(resource)) throw new Error(`not a credential resource: ${resource}`);
  const name = getResourceLabel(resource, 1);
  return { resource, name, noun: name.toLocaleLowerCase() };
}
