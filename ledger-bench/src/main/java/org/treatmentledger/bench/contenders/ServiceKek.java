package org.treatmentledger.bench.contenders;

import org.treatmentledger.bench.fixtures.KeyWrapper;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The service's own key-encryption key (ledger-api's {@code erasure.KeyEncryptionKeys} bean of the running service),
 * for the bulk fixture's data keys: wrapped as the service wraps a new patient's key, so its {@code DataKeyStore}
 * unwraps them as its own. Reached by name, as the bench reaches the service elsewhere: in a reactor build ledger-api
 * is a repackaged Spring Boot jar, not a library the bench can compile against.
 */
public final class ServiceKek implements KeyWrapper {

    static final String TYPE = "org.treatmentledger.api.erasure.KeyEncryptionKeys";

    private final Object keks;
    private final Method wrap;
    private final String kekId;

    private ServiceKek(Object keks, Method wrap, String kekId) {
        this.keks = keks;
        this.wrap = wrap;
        this.kekId = kekId;
    }

    public static ServiceKek of(AxonContender ours) {
        try {
            Class<?> type = Class.forName(TYPE, true, ours.context().getClassLoader());
            Object keks = ours.context().getBean(type);
            return new ServiceKek(keks, type.getMethod("wrap", String.class, byte[].class),
                    (String) type.getMethod("currentId").invoke(keks));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the service has no usable " + TYPE, e);
        }
    }

    @Override
    public String kekId() { return kekId; }

    @Override
    public byte[] wrap(String keyId, byte[] dataKey) {
        try {
            return (byte[]) wrap.invoke(keks, keyId, dataKey);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the service's KEK could not wrap a data key", e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
