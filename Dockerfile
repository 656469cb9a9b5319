# The Fathom app: build with `./mvnw -B -DskipTests -pl app -am package` first (the image copies the jar and its libs).
FROM eclipse-temurin:17-jre
WORKDIR /opt/fathom
COPY app/target/fathom-app-0.1.0-SNAPSHOT.jar app/target/lib/ ./lib/
COPY examples/definitions/ ./definitions/
COPY deploy/fathom/fathom.yaml ./fathom.yaml
EXPOSE 8080
ENTRYPOINT ["java", "-cp", "/opt/fathom/lib/*", "io.fathom.app.FathomCli"]
# --verbose: in a container every log line belongs on stdout (docker logs), not only in the data volume
CMD ["run", "--config", "/opt/fathom/fathom.yaml", "--verbose"]
